"""`congkhai deploy` against a real S3-compatible server on 127.0.0.1.

moto runs in server mode with authentication on (after the set-up calls,
every request must be signed with a key moto issued); boto3 — a client
independent of congkhai's own — checks what arrived.

    python tests/deploy/s3_test.py CONGKHAI SITE CHANGED_SITE

SITE and CHANGED_SITE are two built outputs (the sample, and the sample with
a record changed and one removed). Exits non-zero on the first failure.
"""

import hashlib
import http.client
import http.server
import os
import socket
import subprocess
import sys
import threading

import boto3
from botocore.config import Config

CONGKHAI, SITE, CHANGED = sys.argv[1:4]
BUCKET = "cong-khai"
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    """Starts moto on a free port; returns the process once it listens."""
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="4")
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # Wait for the line that says it listens (an event, not a guess).
    for line in proc.stderr:
        if "Running on" in line:
            break
    else:
        raise SystemExit("moto did not start")
    # Its log of every request must keep flowing, or the server blocks.
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    return proc, f"http://127.0.0.1:{port}"


def flaky_proxy(endpoint, failures):
    """A proxy in front of the server that answers the first attempt of the
    first `failures` uploads with 503 Slow Down, as a busy S3 does; returns
    its address and a list that records each failure it injected."""
    target = endpoint.removeprefix("http://")
    injected = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.command == "PUT" and len(injected) < failures and self.path not in injected:
                injected.append(self.path)
                reply = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                self.send_response(503)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                return
            upstream = http.client.HTTPConnection(target)
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
            r = upstream.getresponse()
            data = r.read()
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = forward

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", injected


def client(endpoint, service, key="test", secret="test"):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )


def set_up(endpoint):
    """The four unauthenticated calls: a user with a key that may use S3,
    and a versioned bucket (each upload leaves a version, so the test can
    count them)."""
    iam = client(endpoint, "iam")
    iam.create_user(UserName="congkhai")
    key = iam.create_access_key(UserName="congkhai")["AccessKey"]
    iam.put_user_policy(
        UserName="congkhai",
        PolicyName="s3",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    )
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket=BUCKET)
    s3 = client(endpoint, "s3", key["AccessKeyId"], key["SecretAccessKey"])
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return s3, key["AccessKeyId"], key["SecretAccessKey"]


def manifest(folder):
    with open(os.path.join(folder, "SHA256SUMS"), encoding="utf-8") as f:
        return dict(reversed(line.split("  ", 1)) for line in f.read().splitlines())


def deploy(env, *args, hook=None):
    e = dict(os.environ, **env, NO_COLOR="1")
    e.pop("CONGKHAI_TEST_HOOK", None)
    if hook:
        e["CONGKHAI_TEST_HOOK"] = hook
    return subprocess.run([CONGKHAI, "deploy", *args], env=e, capture_output=True, text=True)


def objects(s3, prefix):
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
        for o in page.get("Contents", []):
            out[o["Key"][len(prefix) + 1 :]] = o
    return out


def versions(s3, prefix):
    """How many times each key was written."""
    count = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
        for v in page.get("Versions", []):
            key = v["Key"][len(prefix) + 1 :]
            count[key] = count.get(key, 0) + 1
    return count


def body(s3, prefix, path):
    return s3.get_object(Bucket=BUCKET, Key=f"{prefix}/{path}")["Body"].read()


def check_published(s3, prefix, folder, download=False):
    """Every object the manifest lists is there with its bytes; nothing else
    is but the manifest itself (and no journal is left). With `download`,
    each object is fetched and hashed; otherwise the server's MD5 (its ETag)
    is compared with the local file's."""
    listed = manifest(folder)
    there = objects(s3, prefix)
    extra = set(there) - set(listed) - {"SHA256SUMS", "SHA256SUMS.minisig"}
    assert not extra, f"objects the manifest does not list: {sorted(extra)[:5]}"
    for path, digest in listed.items():
        assert path in there, f"missing {path}"
        if download:
            assert hashlib.sha256(body(s3, prefix, path)).hexdigest() == digest, f"{path} differs"
        else:
            with open(os.path.join(folder, path), "rb") as f:
                md5 = hashlib.md5(f.read()).hexdigest()
            assert there[path]["ETag"].strip('"') == md5, f"{path} differs"
    with open(os.path.join(folder, "SHA256SUMS"), "rb") as f:
        assert body(s3, prefix, "SHA256SUMS") == f.read()


def main():
    moto, endpoint = start_moto()
    passed = 0

    def ok(name):
        nonlocal passed
        passed += 1
        print(f"ok {passed} - {name}", flush=True)

    try:
        s3, key, secret = set_up(endpoint)
        env = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": REGION,
        }

        r = deploy(dict(env, AWS_SECRET_ACCESS_KEY="sai-khoa"), SITE, f"s3://{BUCKET}/cong")
        assert r.returncode == 2, r.stderr
        assert "AWS_SECRET_ACCESS_KEY" in r.stderr and "refused the credentials" in r.stderr, r.stderr
        assert not objects(s3, "cong")
        ok("wrong credentials: a clear refusal, nothing written")

        r = deploy(dict(env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}"), SITE, f"s3://{BUCKET}/cong")
        assert r.returncode == 3 and "cannot reach the storage" in r.stderr, r.stderr
        ok("an unreachable endpoint: said so, with what to check")

        r = deploy(env, SITE, "s3://khong-co-bucket/cong")
        assert r.returncode == 2 and "there is no bucket khong-co-bucket" in r.stderr, r.stderr
        ok("a missing bucket: said so")

        s3.put_object(Bucket=BUCKET, Key="anh/cua-toi.jpg", Body=b"not ours")
        r = deploy(env, SITE, f"s3://{BUCKET}/anh")
        assert r.returncode == 2 and "not a congkhai portal" in r.stderr, r.stderr
        assert list(objects(s3, "anh")) == ["cua-toi.jpg"]
        assert body(s3, "anh", "cua-toi.jpg") == b"not ours"
        ok("a prefix with someone else's objects: refused, untouched")

        proxy, through, injected = flaky_proxy(endpoint, 5)
        r = deploy(dict(env, AWS_ENDPOINT_URL=through), SITE, f"s3://{BUCKET}/qua-proxy")
        proxy.shutdown()
        assert r.returncode == 0, r.stderr
        assert len(injected) == 5, injected
        check_published(s3, "qua-proxy", SITE)
        ok("five uploads answered 503 Slow Down: retried, and the site arrives whole")

        r = deploy(env, SITE, f"s3://{BUCKET}/cong", "--dry-run")
        assert r.returncode == 0 and "nothing was sent" in r.stderr, r.stderr
        assert not objects(s3, "cong")
        assert r.stdout.count("\n+ ") + 1 >= len(manifest(SITE))
        ok("--dry-run prints the plan and sends nothing")

        r = deploy(env, SITE, f"s3://{BUCKET}/cong")
        assert r.returncode == 0, r.stderr
        check_published(s3, "cong", SITE, download=True)
        assert ".congkhai-deploy" not in objects(s3, "cong")
        head = s3.head_object(Bucket=BUCKET, Key="cong/index.html")
        assert head["ContentType"] == "text/html; charset=utf-8", head["ContentType"]
        assert "max-age" in head["CacheControl"], head
        wasm = s3.head_object(Bucket=BUCKET, Key="cong/search/congkhai-search.wasm")
        assert wasm["ContentType"] == "application/wasm"
        assert s3.head_object(Bucket=BUCKET, Key="cong/SHA256SUMS")["CacheControl"] == "no-cache"
        ok("the sample arrives whole: every object matches the manifest, with its type and cache header")

        before = versions(s3, "cong")
        r = deploy(env, SITE, f"s3://{BUCKET}/cong")
        assert r.returncode == 0 and "sent 0 files" in r.stderr, r.stderr
        assert versions(s3, "cong") == before
        ok("deploying the same output again sends nothing")

        # Someone's file put into the published prefix: the next deploy stops
        # before sending or deleting anything, and the file survives.
        s3.put_object(Bucket=BUCKET, Key="cong/ghi-chu-cua-toi.txt", Body=b"not ours")
        r = deploy(env, CHANGED, f"s3://{BUCKET}/cong")
        assert r.returncode == 2 and "ghi-chu-cua-toi.txt" in r.stderr, r.stderr
        assert body(s3, "cong", "ghi-chu-cua-toi.txt") == b"not ours"
        assert versions(s3, "cong") == dict(before, **{"ghi-chu-cua-toi.txt": 1})
        s3.delete_object(Bucket=BUCKET, Key="cong/ghi-chu-cua-toi.txt")
        before = versions(s3, "cong")
        ok("an object someone put into a published prefix stops the deploy and survives")

        old, new = manifest(SITE), manifest(CHANGED)
        changed = {p for p, h in new.items() if old.get(p) != h} | {"SHA256SUMS"}
        stale = set(old) - set(new)
        assert changed and stale
        r = deploy(env, CHANGED, f"s3://{BUCKET}/cong")
        assert r.returncode == 0, r.stderr
        check_published(s3, "cong", CHANGED)
        after = versions(s3, "cong")
        # The journal is written and removed by every deploy that sends anything.
        rewritten = {p for p, n in after.items() if n > before.get(p, 0)} - {".congkhai-deploy"}
        # A removed object leaves a delete marker, not a version.
        assert rewritten == changed, (sorted(rewritten ^ changed))[:10]
        assert f"sent {len(changed)} files" in r.stderr and f"removed {len(stale)} stale" in r.stderr, r.stderr
        ok(f"after a change only the {len(changed)} changed objects are sent and the {len(stale)} stale ones removed")

        # Back to the sample, killed once the pages are sent: the published
        # manifest still lists only objects that are there, nothing was removed.
        r = deploy(env, SITE, f"s3://{BUCKET}/cong", hook="crash:deployed-pages")
        assert r.returncode != 0
        published = body(s3, "cong", "SHA256SUMS").decode()
        with open(os.path.join(CHANGED, "SHA256SUMS"), encoding="utf-8") as f:
            assert published == f.read(), "the manifest changed before the end"
        there = objects(s3, "cong")
        assert all(p in there for p in new), "an object the published manifest lists is gone"
        assert ".congkhai-deploy" in there
        ok("a deploy killed midway leaves the published manifest whole and its objects in place")

        r = deploy(env, SITE, f"s3://{BUCKET}/cong")
        assert r.returncode == 0, r.stderr
        check_published(s3, "cong", SITE)
        assert ".congkhai-deploy" not in objects(s3, "cong")
        sent = int(r.stderr.split("sent ")[1].split(" ")[0])
        back = {p for p, h in old.items() if new.get(p) != h} | {"SHA256SUMS"}
        assert sent < len(back), (sent, len(back))
        ok(f"run again, it resumes: {sent} of {len(back)} files left to send")
    finally:
        moto.terminate()
        moto.wait()
    print(f"{passed} passed")


main()
