package dev.laambda.logs;

/**
 * LAAMBDA_LOG_STORE: whether the app log streams are stored. {@code off} is for measuring what storing costs
 * (bench/logs.sh); it loses `laambda logs`.
 */
public enum LogStore {
    ON, OFF
}
