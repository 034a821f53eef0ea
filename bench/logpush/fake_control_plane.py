#!/usr/bin/env python3
"""The Logpush side of a control plane and an HTTP log destination, for bench/logpush/run.sh (loopback only).

GET  /internal/v1/logpush/jobs            the jobs document in JOBS_FILE (ETag: its mtime), node token checked
PUT  /internal/v1/nodes/<id>/logpush      keeps the last report in WORK/report.json
POST /logs                                gunzips a batch, counts its NDJSON records into WORK/received
"""
import gzip
import http.server
import os
import sys
import threading

port, work, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
jobs_file = os.path.join(work, "jobs.json")
lock = threading.Lock()
received = [0, 0]  # records, batches


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + token or self.path != "/internal/v1/logpush/jobs":
            return self.answer(404)
        etag = '"%d"' % os.stat(jobs_file).st_mtime_ns
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304)
        with open(jobs_file, "rb") as f:
            self.answer(200, f.read(), [("ETag", etag), ("Content-Type", "application/json")])

    def do_PUT(self):
        data = self.body()
        with open(os.path.join(work, "report.json.tmp"), "wb") as f:
            f.write(data)
        os.replace(os.path.join(work, "report.json.tmp"), os.path.join(work, "report.json"))
        self.answer(204)

    def do_POST(self):
        data = self.body()
        if self.path != "/logs" or self.headers.get("Content-Encoding") != "gzip":
            return self.answer(400)
        records = sum(1 for line in gzip.decompress(data).split(b"\n") if line.strip())
        with lock:
            received[0] += records
            received[1] += 1
            with open(os.path.join(work, "received"), "w") as f:
                f.write("%d %d\n" % (received[0], received[1]))
        self.answer(200)


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
