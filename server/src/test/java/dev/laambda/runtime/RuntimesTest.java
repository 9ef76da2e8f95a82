package dev.laambda.runtime;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimesTest {

    @Test
    void theCatalogueHoldsExactlyTheRuntimesTheBuildersAndLaunchersRun() {
        assertEquals(List.of("python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
                        "nodejs18.x", "nodejs20.x", "nodejs22.x", "java11", "java17", "java21",
                        "provided.al2", "provided.al2023"),
                Runtimes.all().stream().map(LambdaRuntime::id).toList());
    }

    @Test
    void eachRuntimeNamesItsFamilyImagesLauncherAndAwsId() {
        LambdaRuntime python = Runtimes.find("python3.12").orElseThrow();
        assertEquals(RuntimeFamily.PYTHON, python.family());
        assertEquals("public.ecr.aws/sam/build-python3.12:latest", python.buildImage());
        assertEquals("public.ecr.aws/lambda/python:3.12", python.runImage());
        assertEquals(LaunchKind.RUNTIME_CLIENT, python.launch());
        assertEquals("python3.12", python.awsId());
        assertFalse(python.deprecated());

        LambdaRuntime node = Runtimes.find("nodejs18.x").orElseThrow();
        assertEquals("public.ecr.aws/sam/build-nodejs18.x:latest", node.buildImage());
        assertEquals("public.ecr.aws/lambda/nodejs:18", node.runImage());
        assertTrue(node.deprecated(), "Lambda deprecated nodejs18.x in September 2025");

        assertEquals("public.ecr.aws/lambda/java:21", Runtimes.find("java21").orElseThrow().runImage());
        LambdaRuntime provided = Runtimes.find("provided.al2023").orElseThrow();
        assertEquals(RuntimeFamily.PROVIDED, provided.family());
        assertEquals("public.ecr.aws/lambda/provided:al2023", provided.runImage());
        assertEquals(LaunchKind.BOOTSTRAP, provided.launch());
    }

    @Test
    void anUnknownRuntimeIsRefusedWithOneLineListingTheRuntimes() {
        for (String unknown : new String[] {"ruby3.3", "dotnet8", "python3.8", "nodejs16.x", "", "Python3.13"}) {
            LaambdaException e = assertThrows(LaambdaException.class,
                    () -> Runtimes.require(unknown, "invalid_runtime", ""), unknown);
            assertEquals("invalid_runtime", e.code());
            assertEquals("Runtime '" + unknown + "' is not one Laambda runs: use one of python3.9, python3.10, python3.11, "
                    + "python3.12, python3.13, nodejs18.x, nodejs20.x, nodejs22.x, java11, java17, java21, provided.al2, "
                    + "provided.al2023.", e.getMessage());
        }
        LaambdaException withAlternative = assertThrows(LaambdaException.class,
                () -> Runtimes.require("ruby3.3", "unsupported_runtime", "set LAAMBDA_BUILD_IMAGE"));
        assertTrue(withAlternative.getMessage().endsWith(", provided.al2023, or set LAAMBDA_BUILD_IMAGE."),
                withAlternative.getMessage());
        assertFalse(withAlternative.getMessage().contains("\n"));
    }

    @Test
    void aDeprecatedRuntimeWarnsAndNamesItsFamilysDefault() {
        assertEquals(java.util.Optional.of("python3.9 is deprecated on AWS Lambda (no more security patches): "
                + "move to python3.13 (the family's default)"), Runtimes.deprecationWarning(Runtimes.find("python3.9").orElseThrow()));
        assertEquals(java.util.Optional.of("nodejs18.x is deprecated on AWS Lambda (no more security patches): "
                + "move to nodejs20.x (the family's default)"), Runtimes.deprecationWarning(Runtimes.find("nodejs18.x").orElseThrow()));
        assertEquals(java.util.Optional.empty(), Runtimes.deprecationWarning(Runtimes.find("python3.10").orElseThrow()));
    }

    @Test
    void eachFamilysDefaultIsTheBuildpacksDefaultRuntime() throws IOException {
        Map<String, RuntimeFamily> buildpacks = Map.of("python", RuntimeFamily.PYTHON, "nodejs", RuntimeFamily.NODEJS,
                "java", RuntimeFamily.JAVA, "go", RuntimeFamily.PROVIDED, "php", RuntimeFamily.PROVIDED);
        Pattern defaultRuntime = Pattern.compile("(?m)^\\s*default_runtime\\s*=\\s*\"([^\"]+)\"");
        for (var buildpack : buildpacks.entrySet()) {
            Matcher matcher = defaultRuntime.matcher(Files.readString(
                    Path.of("../buildpacks", buildpack.getKey(), "buildpack.toml")));
            assertTrue(matcher.find(), buildpack.getKey());
            assertEquals(Runtimes.defaultOf(buildpack.getValue()).id(), matcher.group(1), buildpack.getKey());
        }
    }

    /** The stacks script tags its local images with the names the Java code pulls: they must be the same names. */
    @Test
    void theStacksScriptBuildsTheImagesTheCatalogueNamesForEachFamilysDefault() throws IOException {
        String script = Files.readString(Path.of("../buildpacks/stacks/build.sh"));
        Map<String, String> builds = declaredArray(script, "build_default");
        Map<String, String> runs = declaredArray(script, "run_default");
        Map<String, RuntimeFamily> families = Map.of("python", RuntimeFamily.PYTHON, "nodejs", RuntimeFamily.NODEJS,
                "java", RuntimeFamily.JAVA, "go", RuntimeFamily.PROVIDED, "php", RuntimeFamily.PROVIDED);
        assertEquals(families.keySet(), builds.keySet(), "build_default's families");
        assertEquals(families.keySet(), runs.keySet(), "run_default's families");
        for (var family : families.entrySet()) {
            LambdaRuntime runtime = Runtimes.defaultOf(family.getValue());
            assertEquals(runtime.runImage(), runs.get(family.getKey()), "run_default[" + family.getKey() + "]");
            if (!family.getKey().equals("php")) {  // PHP builds in Bref's image (BuildImages), not a SAM one
                assertEquals(runtime.buildImage(), builds.get(family.getKey()), "build_default[" + family.getKey() + "]");
            }
        }
    }

    /** The entries of {@code declare -A name=( [key]=value ... )}. */
    private static Map<String, String> declaredArray(String script, String name) {
        Matcher block = Pattern.compile("(?s)declare -A " + name + "=\\((.*?)\\n\\)").matcher(script);
        assertTrue(block.find(), name + " is declared");
        Map<String, String> entries = new HashMap<>();
        Matcher entry = Pattern.compile("\\[(\\w+)]=(\\S+)").matcher(block.group(1));
        while (entry.find()) {
            entries.put(entry.group(1), entry.group(2));
        }
        return entries;
    }
}
