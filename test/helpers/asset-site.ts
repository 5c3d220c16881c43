/**
 * The page of the asset-host tests (the Amazon 2020 pattern): a page whose assets sit on a host
 * that does not resolve (missing.test), on the site itself (localhost) and on images.test, plus
 * the paths the `hosts` tests ask for. Shared by test/cli/asset-hosts.test.ts and the output
 * snapshots (scripts/snapshot/), so both judge the same page.
 */
import { ok, type Handler } from './servers.js';

/** The ports are read per request: the site's own port is known only once it listens. */
export function assetSite(ports: () => { site: number | string; images: number | string }): Handler {
  return (req, res) => {
    const { site, images } = ports();
    if (req.url === '/store') {
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<img src="https://images.test:${images}/hero.jpg"><script src="https://localhost:${site}/x.js"></script>`);
    }
    if (req.url === '/gone') return void res.writeHead(404).end();
    if (req.url === '/broken') return void res.writeHead(502).end();
    if (req.url !== '/') return ok(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html><head>
  <link rel="stylesheet" href="https://missing.test:${site}/site.css">
  <link rel="canonical" href="https://canonical.test/">
  <script src="//localhost:${site}/app.js"></script>
</head><body>
  <!-- <img src="https://commented-out.test/x.png"> -->
  <img src="https://images.test:${images}/logo.png" alt="logo">
  <img srcset="https://images.test:${images}/a.png 1x, https://images.test:${images}/b.png 2x">
  <a href="https://elsewhere.test/">a link is not an asset</a>
</body></html>`);
  };
}
