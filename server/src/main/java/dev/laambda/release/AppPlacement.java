package dev.laambda.release;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.ServerConfig;
import dev.laambda.platform.PlatformKind;
import dev.laambda.platform.aws.RoleArn;
import dev.laambda.platform.aws.RoleCheck;
import software.amazon.awssdk.regions.Region;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a new app's functions run: its platform, region and execution role, from what apps:create asked for and
 * the server's defaults (LAAMBDA_PLATFORM, LAAMBDA_DEFAULT_REGION). Every check that needs no AWS comes first;
 * IAM is asked last, so bad input costs no AWS call.
 */
public final class AppPlacement {

    /** What an app is created with: its platform, its region and its execution role (null: none). */
    public record Placement(PlatformKind platform, String region, String roleArn) {
    }

    private static final Pattern REGION = Pattern.compile(ServerConfig.REGION_PATTERN);
    /** The regions the AWS SDK knows; the *-global pseudo-regions name no place a function can run. */
    private static final Set<String> AWS_REGIONS = Region.regions().stream().filter(region -> !region.isGlobalRegion())
            .map(Region::id).collect(Collectors.toUnmodifiableSet());

    private final PlatformKind defaultPlatform;
    private final String defaultRegion;
    private final RoleCheck roles;

    public AppPlacement(PlatformKind defaultPlatform, String defaultRegion, RoleCheck roles) {
        this.defaultPlatform = defaultPlatform;
        this.defaultRegion = defaultRegion;
        this.roles = roles;
    }

    /**
     * The placement of a new app; {@code platform}, {@code region} and {@code roleArn} as the user gave them, each
     * null when not given. A local app may carry a role (checked for shape only, for a later move to aws); an aws
     * app must have one, and IAM must not deny it exists.
     */
    public Placement place(String platform, String region, String roleArn) {
        PlatformKind kind = platform == null ? defaultPlatform : PlatformKind.parse(platform);
        String appRegion = region == null || region.isBlank() ? defaultRegion : region;
        if (!REGION.matcher(appRegion).matches()) {
            throw LaambdaException.invalid("invalid_region", "Region '" + Echo.of(appRegion)
                    + "' is not an AWS region name like us-east-1.");
        }
        RoleArn role = roleArn == null ? null : RoleArn.parse(roleArn);
        if (kind == PlatformKind.AWS) {
            if (!AWS_REGIONS.contains(appRegion)) {
                throw LaambdaException.invalid("invalid_region", "Region '" + appRegion + "' is not an AWS region "
                        + "the server knows: name one like us-east-1 with --region.");
            }
            if (role == null) {
                throw LaambdaException.invalid("role_required",
                        "An aws app needs an execution role: pass --role arn:aws:iam::ACCOUNT:role/NAME.");
            }
            roles.requireExisting(role);
        }
        return new Placement(kind, appRegion, role == null ? null : role.arn());
    }
}
