-- Where an app's functions run: Laambda's own local runtime, or AWS Lambda (docs/architecture.md).
ALTER TABLE apps ADD COLUMN platform TEXT NOT NULL DEFAULT 'local' CHECK (platform IN ('local', 'aws'));
