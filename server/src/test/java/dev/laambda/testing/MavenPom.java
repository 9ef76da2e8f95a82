package dev.laambda.testing;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The pom.xml of a sample Lambda app in Java: aws-lambda-java-core plus the given dependencies, Java 17. */
public final class MavenPom {

    private MavenPom() {
    }

    /** {@code dependencies}: "groupId:artifactId:version" each. */
    public static String withDependencies(String... dependencies) {
        String extra = Arrays.stream(dependencies).map(coordinates -> {
            String[] parts = coordinates.split(":");
            return """
                        <dependency>
                          <groupId>%s</groupId>
                          <artifactId>%s</artifactId>
                          <version>%s</version>
                        </dependency>
                    """.formatted(parts[0], parts[1], parts[2]);
        }).collect(Collectors.joining());
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>greeter</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>com.amazonaws</groupId>
                      <artifactId>aws-lambda-java-core</artifactId>
                      <version>1.2.3</version>
                    </dependency>
                %s  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(extra);
    }
}
