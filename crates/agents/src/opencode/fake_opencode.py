#!/usr/bin/env python3
"""A fake `opencode serve` for the adapter's process tests (stdlib only).

It serves the few routes the adapter uses and an SSE `/event` stream. Prompts replay the
turns of a recorded transcript (the SSE events after each `prompt_async` in it), with the
recorded session id replaced by the live one, or act out a scenario named in the prompt:
SHELLWRITE (turn 1 of the recording; waits for the permission reply), NOTOOL (turn 2),
QUESTION, HANG (waits for the abort), FAIL (a 400 from the provider), CRASH (exits 7).
Every request and every start is appended as JSON to the log next to the script.
The test replaces the two placeholders below when it writes the script. The events it makes up
keep the server's schema: they get event ids, and messages and sessions start from recorded ones.
"""
import json
import os
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TRANSCRIPT = "__TRANSCRIPT__"
LOG = "__LOG__"

lock = threading.RLock()
subscribers = []
answers = {}  # request id -> (threading.Event, body)
aborts = {}  # session id -> threading.Event
counter = [0]
event_ids = [0]


def log(**entry):
    with lock:
        with open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")


def load_turns():
    recorded_sid, turns, current = None, [], None
    with open(TRANSCRIPT) as f:
        for line in f:
            d = json.loads(line)
            msg = d["msg"]
            if d["_dir"] == "sse":
                TEMPLATES.setdefault((msg["type"], msg["properties"].get("info", {}).get("role")), msg)
            if d["_dir"] == "http-req":
                if msg["path"].endswith("/prompt_async"):
                    current = []
                    turns.append(current)
                elif msg["path"].endswith("/message"):
                    current = None
            elif d["_dir"] == "http-resp" and msg["path"] == "/session":
                recorded_sid = msg["body"]["id"]
            elif d["_dir"] == "sse" and current is not None:
                current.append(msg)
    return recorded_sid, turns


TEMPLATES = {}  # (event type, message role) -> the first recorded event
RECORDED_SID, TURNS = load_turns()


def recorded(ty, role=None):
    return json.loads(json.dumps(TEMPLATES[(ty, role)]))


def publish(ev):
    with lock:
        event_ids[0] += 1
        ev.setdefault("id", "evt_fake%d" % event_ids[0])
        for q in subscribers:
            q.put(ev)


def waiter(key):
    with lock:
        if key not in answers:
            answers[key] = (threading.Event(), [None])
        return answers[key]


def wait_answer(key, timeout=20):
    event, box = waiter(key)
    event.wait(timeout)
    return box[0]


def answer(key, body):
    event, box = waiter(key)
    box[0] = body
    event.set()


def status(sid, kind):
    publish({"type": "session.status", "properties": {"sessionID": sid, "status": {"type": kind}}})


def idle(sid):
    # Both at once, as OpenCode does: the next turn's thread must not publish `busy` between
    # them, or the late `session.idle` would end that turn.
    with lock:
        status(sid, "idle")
        publish({"type": "session.idle", "properties": {"sessionID": sid}})


def assistant(sid, n, error=None):
    info = recorded("message.updated", "assistant")["properties"]["info"]
    info.update({"id": "msg_fake_%s" % n, "sessionID": sid, "time": {"created": 1}})
    if error:
        info["error"] = error
        info["time"]["completed"] = 2
    publish({"type": "message.updated", "properties": {"sessionID": sid, "info": info}})


def replay(sid, events):
    for ev in events:
        ev = json.loads(json.dumps(ev).replace(RECORDED_SID, sid))
        publish(ev)
        if ev["type"] == "permission.asked":
            wait_answer(ev["properties"]["id"])


def turn(sid, text):
    if "CRASH" in text:
        log(ev="crash", pid=os.getpid())
        os._exit(7)
    if "SHELLWRITE" in text:
        replay(sid, TURNS[0])
    elif "QUESTION" in text:
        status(sid, "busy")
        assistant(sid, "q")
        qid = "que_fake_1"
        publish({"type": "question.asked", "properties": {"id": qid, "sessionID": sid, "questions": [
            {"question": "Pick a color", "header": "Color", "options": [
                {"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cold"}]},
            {"question": "Why?", "header": "Why", "options": []}]}})
        body = wait_answer(qid)
        publish({"type": "question.replied", "properties": {"sessionID": sid, "requestID": qid, "answers": (body or {}).get("answers") or []}})
        part = {"id": "prt_fake_q", "messageID": "msg_fake_q", "sessionID": sid, "type": "text",
                "text": "you chose %s" % json.dumps((body or {}).get("answers")), "time": {"start": 1, "end": 2}}
        publish({"type": "message.part.updated", "properties": {"sessionID": sid, "part": part, "time": 2}})
        idle(sid)
    elif "HANG" in text:
        status(sid, "busy")
        assistant(sid, "h")
        aborts[sid].wait(20)
        error = {"name": "MessageAbortedError", "data": {"message": "The operation was aborted."}}
        publish({"type": "session.error", "properties": {"sessionID": sid, "error": error}})
        assistant(sid, "h", error)
        idle(sid)
    elif "FAIL" in text:
        status(sid, "busy")
        error = {"name": "APIError", "data": {"message": "mock scripted failure", "statusCode": 400, "isRetryable": False}}
        publish({"type": "session.error", "properties": {"sessionID": sid, "error": error}})
        assistant(sid, "f", error)
        idle(sid)
    else:
        replay(sid, TURNS[1])


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def read_body(self):
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw) if raw else None

    def send_json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        log(ev="req", method="GET", path=url.path, query=parse_qs(url.query))
        if url.path == "/global/health":
            self.send_json(200, {"healthy": True, "version": "0.0.0-fake"})
        elif url.path == "/agent":
            self.send_json(200, [
                {"name": "plan", "description": "Plans without editing", "mode": "primary"},
                {"name": "build", "description": "Builds", "mode": "primary"},
                {"name": "general", "description": "A subagent", "mode": "subagent"},
                {"name": "review", "description": "Reviews code", "mode": "all"},
                {"name": "title", "description": "internal", "mode": "primary", "hidden": True},
            ])
        elif url.path == "/event":
            self.stream()
        elif url.path.startswith("/session/"):
            sid = url.path.split("/")[2]
            if sid == "ses_unknown":
                self.send_json(404, {"name": "NotFoundError", "data": {"message": "no such session"}})
            else:
                self.send_json(200, {"id": sid})
        else:
            self.send_json(404, {"error": "no route"})

    def stream(self):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        q = queue.Queue()
        with lock:
            subscribers.append(q)
        try:
            for ev in (recorded("server.connected"), recorded("plugin.added")):
                self.write_event(ev)
            while True:
                self.write_event(q.get())
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with lock:
                subscribers.remove(q)

    def write_event(self, ev):
        self.wfile.write(b"data: " + json.dumps(ev).encode() + b"\n\n")
        self.wfile.flush()

    def do_POST(self):
        url = urlparse(self.path)
        body = self.read_body()
        log(ev="req", method="POST", path=url.path, query=parse_qs(url.query), body=body)
        parts = url.path.strip("/").split("/")
        if url.path == "/session":
            counter[0] += 1
            sid = "ses_fake%d_%d" % (os.getpid(), counter[0])
            info = recorded("session.created")["properties"]["info"]
            info.update({"id": sid, "title": (body or {}).get("title")})
            publish({"type": "session.created", "properties": {"sessionID": sid, "info": info}})
            self.send_json(200, info)
        elif parts[0] == "session" and parts[-1] == "prompt_async":
            sid = parts[1]
            aborts[sid] = threading.Event()
            self.send_response(204)
            self.end_headers()
            self.wfile.flush()
            threading.Thread(target=turn, args=(sid, body["parts"][0]["text"]), daemon=True).start()
        elif parts[0] == "session" and parts[-1] == "abort":
            aborts.setdefault(parts[1], threading.Event()).set()
            self.send_json(200, True)
        elif url.path == "/instance/dispose":
            self.send_json(200, True)
        elif parts[0] in ("permission", "question") and parts[-1] in ("reply", "reject"):
            answer(parts[1], body if parts[-1] == "reply" else {"rejected": True})
            self.send_json(200, True)
        else:
            self.send_json(404, {"error": "no route"})


def main():
    args = sys.argv[1:]
    port = int(args[args.index("--port") + 1])
    keys = ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "OPENCODE_CONFIG",
            "OPENCODE_DISABLE_AUTOUPDATE", "OPENCODE_DISABLE_MODELS_FETCH", "OPENCODE_DISABLE_LSP_DOWNLOAD",
            "OPENCODE_DISABLE_SHARE", "OPENAI_BASE_URL"]
    with open(os.environ["OPENCODE_CONFIG"]) as f:
        config = json.load(f)
    log(ev="start", pid=os.getpid(), argv=args, cwd=os.getcwd(), env={k: os.environ.get(k) for k in keys}, config=config)
    time.sleep(0.3)  # not listening yet: the adapter must poll the health route
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("opencode server listening on http://127.0.0.1:%d" % port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
