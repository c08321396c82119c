import net from "net"

export type RawResponse = {
  status: number
  headers: Record<string, string>
  /** The body parsed as JSON, or null when it isn't JSON (or is empty). */
  body: any
  text: string
}

/** Decodes a `Transfer-Encoding: chunked` body. */
export function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < raw.length) {
    const lineEnd = raw.indexOf("\r\n", offset)
    if (lineEnd < 0) break
    const size = parseInt(raw.subarray(offset, lineEnd).toString("latin1"), 16)
    if (!size) break
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/**
 * Sends one HTTP/1.1 request over a plain socket, with the request line
 * exactly as given (`target` is written byte for byte, as latin1): absolute
 * forms, backslashes, fragments and other forms an HTTP client library would
 * rewrite or refuse reach the server as they are.
 */
export function rawRequest(
  port: number,
  { method, target, headers = {}, body }: { method: string; target: string; headers?: Record<string, string>; body?: unknown }
): Promise<RawResponse> {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), "utf8")
  const lines = [
    `${method} ${target} HTTP/1.1`,
    `Host: localhost:${port}`,
    "Connection: close",
    ...(body === undefined ? [] : ["Content-Type: application/json"]),
    `Content-Length: ${payload.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1")
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1")
    const chunks: Buffer[] = []
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer to ${method} ${JSON.stringify(target)}`)))
    socket.on("data", (chunk) => chunks.push(chunk))
    socket.on("error", reject)
    socket.on("close", () => {
      const raw = Buffer.concat(chunks)
      const split = raw.indexOf("\r\n\r\n")
      if (split < 0) {
        return reject(new Error(`no HTTP answer to ${method} ${JSON.stringify(target)}: ${JSON.stringify(raw.toString("latin1"))}`))
      }
      const [statusLine, ...headerLines] = raw.subarray(0, split).toString("latin1").split("\r\n")
      const responseHeaders: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(":")
        const name = line.slice(0, colon).trim().toLowerCase()
        const value = line.slice(colon + 1).trim()
        responseHeaders[name] = responseHeaders[name] ? `${responseHeaders[name]}, ${value}` : value
      }
      let rest = raw.subarray(split + 4)
      if (/chunked/i.test(responseHeaders["transfer-encoding"] ?? "")) {
        rest = unchunk(rest)
      }
      const text = rest.toString("utf8")
      let parsed: any = null
      try {
        parsed = text ? JSON.parse(text) : null
      } catch {
        parsed = null
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers: responseHeaders, body: parsed, text })
    })
    socket.write(Buffer.concat([head, payload]))
  })
}

/**
 * Sends GET requests for `targets` one after another on one kept-alive
 * socket without waiting for answers (HTTP/1.1 pipelining), and answers the
 * socket: the server answers them in order; the caller reads or destroys it.
 */
export function pipelined(port: number, targets: string[], headers: Record<string, string> = {}): net.Socket {
  const socket = net.connect(port, "127.0.0.1")
  socket.on("error", () => undefined)
  const head = (target: string) =>
    [`GET ${target} HTTP/1.1`, `Host: localhost:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join("\r\n") +
    "\r\n\r\n"
  socket.write(Buffer.from(targets.map(head).join(""), "latin1"))
  return socket
}
