<?php
// Laambda's PHP runtime for Lambda's provided.al2023 (Bref's model): serves the Lambda Runtime API
// (2018-06-01) for a handler file that returns a callable fn(array $event, array $context): the result is
// the response, JSON-encoded; an exception becomes Lambda's error document.

declare(strict_types=1);

$api = getenv('AWS_LAMBDA_RUNTIME_API');
$root = getenv('LAMBDA_TASK_ROOT') ?: getcwd();
$handlerName = getenv('_HANDLER') ?: 'handler.php';

function runtime_request(string $method, string $path, ?string $body = null, array $headers = []): array
{
    global $api;
    $lines = [];
    foreach ($headers as $name => $value) {
        $lines[] = "$name: $value";
    }
    if ($body !== null) {
        $lines[] = 'Content-Type: application/json';
    }
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => implode("\r\n", $lines),
        'content' => $body ?? '',
        'ignore_errors' => true,
        'timeout' => 86400,
        'protocol_version' => 1.1,
    ]]);
    $response = file_get_contents("http://$api/2018-06-01/runtime/$path", false, $context);
    if ($response === false) {
        fwrite(STDERR, "The Runtime API at $api did not answer $method $path\n");
        exit(1);
    }
    $responseHeaders = [];
    foreach ($http_response_header as $line) {
        if (str_contains($line, ':')) {
            [$name, $value] = explode(':', $line, 2);
            $responseHeaders[strtolower(trim($name))] = trim($value);
        }
    }
    return [$responseHeaders, $response];
}

function error_document(Throwable $e): string
{
    return json_encode([
        'errorMessage' => $e->getMessage(),
        'errorType' => get_class($e),
        'stackTrace' => explode("\n", $e->getTraceAsString()),
    ]);
}

function init_error(string $type, string $message): never
{
    fwrite(STDERR, "$message\n");
    runtime_request('POST', 'init/error', json_encode(['errorMessage' => $message, 'errorType' => $type,
        'stackTrace' => []]), ['Lambda-Runtime-Function-Error-Type' => $type]);
    exit(1);
}

$handlerFile = $root . '/' . $handlerName;
if (!is_file($handlerFile)) {
    init_error('Runtime.HandlerNotFound', "Handler '$handlerName' not found: no file $handlerName in the app.");
}
if (is_file($root . '/vendor/autoload.php')) {
    require $root . '/vendor/autoload.php';
}
try {
    $handler = require $handlerFile;
} catch (Throwable $e) {
    init_error('Runtime.UserCodeSyntaxError', get_class($e) . ': ' . $e->getMessage());
}
if (!is_callable($handler)) {
    init_error('Runtime.HandlerNotFound', "Handler '$handlerName' must return a callable, e.g. return fn(\$event) => [...];");
}

while (true) {
    [$headers, $body] = runtime_request('GET', 'invocation/next');
    $requestId = $headers['lambda-runtime-aws-request-id'] ?? '';
    $event = $body === '' ? [] : json_decode($body, true);
    $context = [
        'awsRequestId' => $requestId,
        'deadlineMs' => (int) ($headers['lambda-runtime-deadline-ms'] ?? 0),
        'invokedFunctionArn' => $headers['lambda-runtime-invoked-function-arn'] ?? '',
        'traceId' => $headers['lambda-runtime-trace-id'] ?? '',
        'functionName' => getenv('AWS_LAMBDA_FUNCTION_NAME') ?: '',
        'functionVersion' => getenv('AWS_LAMBDA_FUNCTION_VERSION') ?: '',
        'memoryLimitInMB' => getenv('AWS_LAMBDA_FUNCTION_MEMORY_SIZE') ?: '',
    ];
    try {
        $result = $handler($event, $context);
        runtime_request('POST', "invocation/$requestId/response", json_encode($result));
    } catch (Throwable $e) {
        fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
        runtime_request('POST', "invocation/$requestId/error", error_document($e),
            ['Lambda-Runtime-Function-Error-Type' => 'Runtime.UserError']);
    }
}
