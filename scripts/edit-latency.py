#!/usr/bin/env python3
"""Measures the time from saving an edit to the rebuilt page being served by
`congkhai serve`: starts the server on a site, edits one conclusion's title
several times, and polls the page until the new title appears.

usage: edit-latency.py CONGKHAI SITE_DIR [ROUNDS] [--rename]
With --rename each edit is saved as `sed -i`, Emacs and Vim save: a new file
written beside the record, then renamed over it.
Prints one JSON object: {"rounds": n, "median_ms": .., "max_ms": .., "samples_ms": [..]}.
The site is edited in place and restored afterwards.
"""
import json, os, re, socket, subprocess, sys, time, urllib.request, glob, statistics

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except Exception:
        return None, ""

def main():
    binary, site = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    by_rename = "--rename" in sys.argv[4:]
    files = sorted(glob.glob(os.path.join(site, "content/conclusions/**/*.md"), recursive=True))
    target = files[len(files) // 2]
    ident = os.path.splitext(os.path.basename(target))[0]
    original = open(target, encoding="utf-8").read()
    port = free_port()
    proc = subprocess.Popen([binary, "serve", site, "--port", str(port), "--as-of", "2026-11-23", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/ket-luan/{ident}/"
    samples = []
    try:
        start = time.time()
        while get(url)[0] != 200:
            if time.time() - start > 120:
                raise SystemExit("server did not start")
            time.sleep(0.05)
        for i in range(rounds):
            marker = f"Sửa lần {i} {time.time_ns()}"
            text = re.sub(r'^title: .*$', f'title: "{marker}"', original, count=1, flags=re.M)
            time.sleep(0.3)
            t0 = time.perf_counter()
            saved = target + ".sedtmp" if by_rename else target
            with open(saved, "w", encoding="utf-8") as f:
                f.write(text)
            if by_rename:
                os.replace(saved, target)
            while marker not in get(url)[1]:
                if time.perf_counter() - t0 > 60:
                    raise SystemExit("edit never served")
                time.sleep(0.005)
            samples.append(round((time.perf_counter() - t0) * 1000, 1))
    finally:
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait()
    print(json.dumps({"rounds": rounds, "median_ms": statistics.median(samples), "max_ms": max(samples), "samples_ms": samples}))

main()
