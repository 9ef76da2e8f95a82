<?php
namespace Greeter;

final class Greeter
{
    public static function greet(string $name): string
    {
        return "hello $name";
    }
}
