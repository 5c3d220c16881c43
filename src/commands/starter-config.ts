/** What `outage init` writes: a small, commented config that validates as it is. */
export const STARTER_CONFIG = `# outage configuration — see the README for every key, or .outagerc.example.
# Check it with: outage validate   Run it with: outage check
# Editors with the YAML language server can validate as you type:
#   outage schema > outage.schema.json, then keep the next line at the top of this file.
# yaml-language-server: $schema=./outage.schema.json

defaults:
  timeout: 10s          # budget for one attempt of a service (DNS + TCP + TLS + HTTP)
  retries: 1            # extra attempts after a failure
  latency:
    degraded: 2s        # slower than this is degraded
  certificate:
    degraded: 14d       # certificate expiring within this is degraded

services:
  - name: Website
    url: https://example.com/
    http:
      expect:
        status: "200-399"
        # body: "Welcome"              # the page must contain this text

  # - name: API
  #   url: https://api.example.com/health
  #   http:
  #     headers: { Authorization: "Bearer \${API_TOKEN}" }   # from the environment; never printed

  # - name: Database
  #   tcp: db.internal:5432
`;
