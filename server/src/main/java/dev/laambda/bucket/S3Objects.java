package dev.laambda.bucket;

import dev.laambda.LaambdaException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The objects of the bucket every server of the database shares (LAAMBDA_S3_BUCKET), by key: whether one is
 * there, download, upload, delete everything under a prefix. A failed call is one line naming the call, the
 * object and S3's error code.
 */
public final class S3Objects {

    /** An object as S3 describes it: its ETag (which changes with every upload) and its size. */
    public record Stored(String etag, long bytes) {
    }

    private final S3Client s3;
    private final String bucket;

    public S3Objects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public S3Client client() {
        return s3;
    }

    public String name() {
        return bucket;
    }

    /** The object at {@code key}, if there is one. */
    public Optional<Stored> head(String key) {
        try {
            HeadObjectResponse head = call("HeadObject", key, () -> s3.headObject(h -> h.bucket(bucket).key(key)));
            return Optional.of(new Stored(head.eTag(), head.contentLength()));
        } catch (Missing e) {
            return Optional.empty();
        }
    }

    /** Downloads the object into {@code file}, which must not exist yet. */
    public Stored download(String key, Path file) {
        var response = call("GetObject", key, () -> s3.getObject(get -> get.bucket(bucket).key(key),
                ResponseTransformer.toFile(file)));
        return new Stored(response.eTag(), response.contentLength());
    }

    /** Uploads {@code file} as the object at {@code key}; returns the ETag S3 gave it. */
    public String upload(String key, Path file, String contentType) {
        return call("PutObject", key, () -> s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromFile(file))).eTag();
    }

    /** Deletes every object whose key starts with {@code prefix}; returns how many went. */
    public int deleteUnder(String prefix) {
        int deleted = 0;
        while (true) {
            List<S3Object> listed = call("ListObjectsV2", prefix, () -> s3.listObjectsV2(list -> list.bucket(bucket)
                    .prefix(prefix).maxKeys(1000))).contents();
            if (listed.isEmpty()) {
                return deleted;
            }
            List<ObjectIdentifier> keys = listed.stream().map(object -> ObjectIdentifier.builder().key(object.key()).build())
                    .toList();
            var result = call("DeleteObjects", prefix, () -> s3.deleteObjects(delete -> delete.bucket(bucket)
                    .delete(what -> what.objects(keys).quiet(true))));
            if (!result.errors().isEmpty()) {
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "bucket_error", "S3 DeleteObjects of s3://"
                        + bucket + "/" + prefix + "* failed: " + result.errors().get(0).code());
            }
            deleted += keys.size();
        }
    }

    /** A failure of work with the bucket (S3's, or the disk's on the way) as one log value, for error="…". */
    public static String logValue(Exception e) {
        return (e.getClass().getSimpleName() + ": " + e.getMessage()).strip().replaceAll("\\s+", " ").replace('"', '\'');
    }

    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** Whether the bucket itself is there and may be used with the server's credentials. */
    public boolean bucketExists() {
        try {
            call("HeadBucket", null, () -> s3.headBucket(head -> head.bucket(bucket)));
            return true;
        } catch (Missing e) {
            return false;
        }
    }

    /**
     * One S3 call on the object at {@code key} (null: the bucket); its errors as one line naming the call, the
     * object and S3's code. A missing object or bucket as {@link Missing}.
     */
    public <T> T call(String action, String key, Supplier<T> request) {
        String what = "S3 " + action + " of " + (key == null ? "s3://" + bucket : uri(key));
        try {
            return request.get();
        } catch (NoSuchKeyException e) {
            throw new Missing(what);
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                throw new Missing(what);
            }
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "bucket_error", what + " failed: " + code);
        } catch (SdkException e) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "bucket_unavailable", what
                    + " failed: S3 could not be reached (" + String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " ")
                    + ")");
        }
    }

    /** No such object (or bucket). */
    public static final class Missing extends LaambdaException {
        Missing(String what) {
            super(Kind.NOT_FOUND, "bucket_object_missing", what + " failed: no such object");
        }
    }
}
