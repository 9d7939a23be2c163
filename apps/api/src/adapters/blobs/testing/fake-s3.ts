import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A FAKE S3 server (s3rver: S3's REST API in Node, objects in a temp folder) on a loopback port, for
 * tests that cannot reach real object storage. It speaks enough of the protocol for the AWS SDK
 * (PUT, GET with ranges, HEAD, DELETE, multipart uploads) but checks no signatures and no
 * permissions: the contract suite also runs against a real endpoint (S3_TEST_ENDPOINT).
 */
export interface FakeS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

export async function startFakeS3(bucket = 'handoff-test'): Promise<FakeS3> {
  const directory = mkdtempSync(join(tmpdir(), 'handoff-fake-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
