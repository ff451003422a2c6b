// A websocket that reconnects by itself and tells the page how the connection is.
//
// On every (re)connect the page's `url()` is asked for the address (a seat socket adds
// ?last_seq=<last event held>, so the server's welcome carries only what was missed). Moves get a
// msg_id; `request()` resolves with the server's ack, or rejects with its error frame.
export class LiveSocket {
  constructor({ url, onFrame, onState, onOpen, pingEvery = 15000 }) {
    this.url = url;
    this.onFrame = onFrame;
    this.onState = onState || (() => {});
    this.onOpen = onOpen || (() => {});
    this.pingEvery = pingEvery;
    this.pending = new Map();
    this.retry = 0;
    this.counter = 0;
    this.closedForGood = false;
    this.state = "connecting";
    this.opens = 0; // how many times a connection opened (1 + reconnections)
    window.addEventListener("online", () => this.kick());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.kick();
    });
  }

  start() {
    this.connect();
  }

  setState(state, detail) {
    this.state = state;
    this.onState(state, detail);
  }

  connect() {
    clearTimeout(this.retryTimer);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let ws;
    try {
      ws = new WebSocket(`${scheme}://${location.host}${this.url()}`);
    } catch (err) {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.setState(this.retry ? "reconnecting" : "connecting");
    ws.addEventListener("open", () => {
      this.retry = 0;
      this.opens += 1;
      this.lastHeard = Date.now();
      this.setState("live");
      this.startPing();
      this.onOpen();
    });
    ws.addEventListener("message", (event) => {
      this.lastHeard = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.msg_id && this.pending.has(frame.msg_id) && (frame.type === "ack" || frame.type === "error")) {
        const { resolve, reject, timer } = this.pending.get(frame.msg_id);
        clearTimeout(timer);
        this.pending.delete(frame.msg_id);
        (frame.type === "ack" ? resolve : reject)(frame);
      }
      this.onFrame(frame);
    });
    ws.addEventListener("close", (event) => {
      this.stopPing();
      if (ws !== this.ws) return;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject({ type: "error", code: "connection/lost", message: gettext("The connection dropped before the server answered; check the table and try again.") });
      }
      this.pending.clear();
      if ([4401, 4403, 4409].includes(event.code)) {
        this.closedForGood = true;
        this.setState("closed", event.code);
        return;
      }
      this.scheduleRetry();
    });
  }

  scheduleRetry() {
    if (this.closedForGood) return;
    this.retry += 1;
    const delay = Math.min(8000, 400 * 2 ** Math.min(this.retry - 1, 5)) + Math.random() * 300;
    this.setState("reconnecting", Math.round(delay / 1000));
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  kick() {
    if (this.closedForGood) return;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) this.connect();
    else if (this.ws.readyState === WebSocket.OPEN) this.send({ type: "ping", msg_id: this.nextId("p") });
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      if (Date.now() - this.lastHeard > this.pingEvery * 2 + 5000) {
        this.ws.close();  // silent for too long: start again
        return;
      }
      this.send({ type: "ping", msg_id: this.nextId("p") });
    }, this.pingEvery);
  }

  stopPing() {
    clearInterval(this.pingTimer);
  }

  nextId(prefix = "m") {
    this.counter += 1;
    return `${prefix}${Date.now().toString(36)}.${this.counter}`;
  }

  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  request(frame, timeoutMs = 10000) {
    const msg_id = frame.msg_id || this.nextId();
    return new Promise((resolve, reject) => {
      if (!this.send({ ...frame, msg_id })) {
        reject({ type: "error", code: "connection/offline", message: gettext("Not connected right now; reconnecting. Try again in a moment.") });
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(msg_id);
        reject({ type: "error", code: "connection/timeout", message: gettext("The server did not answer in time; check the table and try again.") });
      }, timeoutMs);
      this.pending.set(msg_id, { resolve, reject, timer });
    });
  }
}
