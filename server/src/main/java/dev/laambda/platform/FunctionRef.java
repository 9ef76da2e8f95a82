package dev.laambda.platform;

/** A function by its name (APP-ENTRY) and the region it lives in (what the AWS platform needs to find it). */
public record FunctionRef(String functionName, String region) {
}
