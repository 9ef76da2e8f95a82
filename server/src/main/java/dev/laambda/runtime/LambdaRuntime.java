package dev.laambda.runtime;

/**
 * One Lambda runtime Laambda can build and run. {@code id} is also the AWS runtime id, so an app moves to
 * Lambda unchanged; the images are the real AWS names (buildpacks/stacks/build.sh builds local stand-ins).
 */
public record LambdaRuntime(String id, RuntimeFamily family, String buildImage, String runImage, LaunchKind launch,
                      boolean deprecated) {

    /** The runtime id Lambda itself uses: the same string. */
    public String awsId() {
        return id;
    }
}
