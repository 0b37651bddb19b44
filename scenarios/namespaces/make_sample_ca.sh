#!/usr/bin/env bash
# Makes the test CA of the sample namespaces (the stand-in for the
# intermediate CA that Azure's MQTT application samples create with `step`)
# and puts its certificate into each sample namespace file.
#
#   scenarios/namespaces/make_sample_ca.sh
#
# Writes sample-ca.pem (certificate) and sample-ca.key (its private key, for
# issuing client certificates in local TLS tests: test material only, never
# trust this CA anywhere). Rerunning makes a new key, so a new thumbprint.
set -euo pipefail
cd "$(dirname "$0")"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout sample-ca.key -out sample-ca.pem -days 3650 \
  -subj "/CN=MqttAppSamplesCA Intermediate CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"

/usr/bin/python3 - <<'PY'
import json
pem = open("sample-ca.pem").read()
for name in ("telemetry", "command", "alert", "fleet", "bench"):
    path = f"{name}.json"
    with open(path) as f:
        namespace = json.load(f)
    for certificate in namespace["caCertificates"]:
        certificate["properties"]["encodedCertificate"] = pem
    with open(path, "w") as f:
        json.dump(namespace, f, indent=2)
        f.write("\n")
PY
echo "sample CA: $(openssl x509 -in sample-ca.pem -noout -fingerprint -sha256)"
