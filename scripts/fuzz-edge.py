#!/usr/bin/env python3
"""Fuzzes a running Portico from both sides: mutated requests to it, mutated answers from an
upstream this script plays. Only 127.0.0.1, a bounded number of exchanges, each with time-outs.

Usage: scripts/fuzz-edge.py [--seed N] [--requests N] [--gateway PORT] [--upstream PORT]

Start Portico first with a route /up/** to http://127.0.0.1:UPSTREAM (this script's upstream,
with passive ejection effectively off) and /** to any working backend, e.g.:

  upstreams:
    fuzz:
      targets: [{ url: "http://127.0.0.1:29600" }]
      read-timeout: 2s
      passive: { consecutive-failures: 1000000, ejection: 1s }
  routes:
    - { id: up, match: { paths: ["/up/**"] }, upstream: fuzz }
    - { id: rest, url: "http://127.0.0.1:8081" }

It prints each answer that should not be (a 500, or silence after a complete request), then a
count per status. Then read Portico's log: what to look for is a stack trace, an unexpected
WARN, or an access-log line whose status disagrees with what the client got.
"""
import argparse
import collections
import random
import re
import socket
import threading
import time

ANSWERS = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
    b"HTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\n\r\nclose-delimited",
    b"HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: a=b\r\nContent-Length: 0\r\n\r\n",
]
REQUESTS = [
    b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"GET /x?a=b&c=%zz HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\r\nForwarded: for=1.1.1.1\r\n\r\n",
    b"GET /x HTTP/1.0\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
]
INSERTS = [b"\r", b"\n", b"\x00", b" ", b":", b"\t", b"\x7f", b"\xff", b"0", b"-1", b"99999999999999999999",
           b"\r\n", b"Transfer-Encoding: chunked\r\n", b"Content-Length: 10\r\n", b"Connection: close\r\n"]


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op, i = rng.random(), rng.randint(0, len(data))
        if op < 0.3 and data:
            data[min(i, len(data) - 1)] = rng.randint(0, 255)
        elif op < 0.6:
            data[i:i] = rng.choice(INSERTS)
        elif op < 0.8 and len(data) > 1:
            del data[i:i + rng.randint(1, 4)]
        else:
            data[i:i] = bytes(data[max(0, i - 8):i])
    return bytes(data)


def upstream(port, seed, stop):
    rng = random.Random(seed + 1)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)
    server.settimeout(0.5)
    while not stop.is_set():
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        answer = rng.choice(ANSWERS)
        if rng.random() < 0.7:
            answer = mutate(answer, rng)
        threading.Thread(target=serve, args=(conn, answer, rng.random() < 0.3), daemon=True).start()
    server.close()


def serve(conn, answer, close_after):
    conn.settimeout(3)
    try:
        while True:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            conn.sendall(answer)
            if close_after:
                return
    except OSError:
        pass
    finally:
        conn.close()


def exchange(port, rng, stats, lock):
    request = rng.choice(REQUESTS)
    if rng.random() < 0.5:
        request = request.replace(b" /x", b" /up/x", 1)
    if rng.random() < 0.85:
        request = mutate(request, rng)
    if rng.random() < 0.3:
        request += rng.choice(REQUESTS)  # pipelined
    # a client that shuts down its sending side after a whole request is taken as gone (nginx's
    # 499), so fewer do, and one that got nothing back is counted as gone
    half_close = rng.random() < 0.2
    sock = socket.socket()
    sock.settimeout(4)
    seen, data = [], b""
    try:
        sock.connect(("127.0.0.1", port))
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        deadline = time.time() + 4
        while time.time() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        if not data and request.endswith(b"\r\n\r\n"):
            seen.append("silent")
            print("silent after a complete request:", repr(request)[:300])
    except OSError as e:
        seen.append("error:" + type(e).__name__)
    finally:
        sock.close()
    for status in re.findall(rb"HTTP/1\.[01] (\d{3})", data):
        seen.append(status.decode())
        if status == b"500":
            print("500:", repr(request)[:300], repr(data)[:400])
    with lock:
        stats.update(seen or (["gone"] if half_close else ["nothing"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--gateway", type=int, default=8080)
    parser.add_argument("--upstream", type=int, default=29600)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stop = threading.Event()
    threading.Thread(target=upstream, args=(args.upstream, args.seed, stop), daemon=True).start()
    time.sleep(0.3)
    stats, lock = collections.Counter(), threading.Lock()
    for start in range(0, args.requests, 16):
        batch = [threading.Thread(target=exchange, args=(args.gateway, random.Random(rng.random()), stats, lock))
                 for _ in range(min(16, args.requests - start))]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
    stop.set()
    print(dict(sorted(stats.items())))


if __name__ == "__main__":
    main()
