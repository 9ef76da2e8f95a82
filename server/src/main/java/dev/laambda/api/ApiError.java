package dev.laambda.api;

/** The body of every error answer. */
public record ApiError(String error, String code) {
}
