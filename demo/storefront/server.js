// The reference storefront page of `npm run demo`, on http://localhost:8000.
// A static page plus /config.js telling it where Medusa is and which
// publishable key to use. No framework, no build step.
const fs = require("fs")
const http = require("http")
const path = require("path")

function startStorefront({ port = 8000, backendUrl, publishableKey }) {
  const page = fs.readFileSync(path.join(__dirname, "index.html"))
  // The page's ES modules (js/*.js), read once at start like the page.
  const scripts = new Map(
    fs
      .readdirSync(path.join(__dirname, "js"))
      .filter((name) => name.endsWith(".js"))
      .map((name) => [`/js/${name}`, fs.readFileSync(path.join(__dirname, "js", name))])
  )
  const config = `window.LAC_CONFIG = ${JSON.stringify({ backendUrl, publishableKey })};\n`
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost")
    const headers = {
      "Cache-Control": "no-store",
      // The ticket is in the fragment, which browsers never send; this keeps
      // any other URL of the page out of Referer headers too.
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy":
        `default-src 'self'; connect-src 'self' ${backendUrl}; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'`,
    }
    if (url.pathname === "/config.js") {
      res.writeHead(200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" })
      return res.end(config)
    }
    if (scripts.has(url.pathname)) {
      res.writeHead(200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" })
      return res.end(scripts.get(url.pathname))
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" })
      return res.end(page)
    }
    res.writeHead(404, { ...headers, "Content-Type": "text/plain" })
    res.end("Not found")
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, () => resolve(server))
  })
}

module.exports = { startStorefront }

if (require.main === module) {
  startStorefront({
    port: Number(process.env.STOREFRONT_PORT || 8000),
    backendUrl: process.env.MEDUSA_BACKEND_URL || "http://localhost:9000",
    publishableKey: process.env.PUBLISHABLE_KEY || "",
  }).then((server) => console.log(`Reference storefront on http://localhost:${server.address().port}`))
}
