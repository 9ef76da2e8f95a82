<?php
return fn (array $event) => ['greeting' => \Greeter\Greeter::greet($event['name'] ?? 'world')];
