"""Test fixture for the real-network tests: a throwaway PKI made with the
openssl CLI, namespace files, and `mqlab broker` started on free loopback
ports (port 0; the broker writes the ports it got to --ready-file) and
stopped at the end of each test. Runs under Debian's /usr/bin/python3."""

import json
import os
import signal
import subprocess
import tempfile
import time

# Upper bound for a broker to start or stop, or a client to see something
# happen; the tests wait for events, this only keeps a broken run finite.
PATIENCE_SECONDS = 30.0


def mqlab_binary():
    return os.path.abspath(os.environ["MQLAB_BIN"])


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, **kwargs)


class Pki:
    """A test CA, a server certificate, and client certificates on demand."""

    def __init__(self, directory):
        self.directory = directory
        self.ca_key, self.ca_pem = self._make_ca("mqlab-test-ca")
        self.other_ca_key, self.other_ca_pem = self._make_ca("unknown-ca")
        self.server_key = self._path("server.key")
        self.server_pem = self._path("server.pem")
        self._make_key(self.server_key)
        csr = self._path("server.csr")
        run(["openssl", "req", "-new", "-key", self.server_key, "-subj",
             "/CN=localhost", "-out", csr])
        extensions = self._path("server.ext")
        with open(extensions, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca_pem,
             "-CAkey", self.ca_key, "-CAcreateserial", "-days", "2",
             "-extfile", extensions, "-out", self.server_pem])

    def _path(self, name):
        return os.path.join(self.directory, name)

    def _make_key(self, path):
        run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
             "-out", path])

    def _make_ca(self, name):
        key, pem = self._path(name + ".key"), self._path(name + ".pem")
        self._make_key(key)
        run(["openssl", "req", "-x509", "-new", "-key", key, "-subj",
             "/CN=" + name, "-days", "2", "-addext",
             "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign,cRLSign", "-out", pem])
        return key, pem

    def client(self, common_name, issuer="ca"):
        """A client certificate with subject CN=common_name signed by the
        test CA ("ca"), the unregistered one ("other") or itself ("self").
        Returns (certificate path, key path)."""
        stem = "%s-%s" % (common_name, issuer)
        key, pem = self._path(stem + ".key"), self._path(stem + ".pem")
        self._make_key(key)
        if issuer == "self":
            run(["openssl", "req", "-x509", "-new", "-key", key, "-subj",
                 "/CN=" + common_name, "-days", "2", "-out", pem])
            return pem, key
        ca_pem, ca_key = ((self.ca_pem, self.ca_key) if issuer == "ca" else
                          (self.other_ca_pem, self.other_ca_key))
        csr = self._path(stem + ".csr")
        run(["openssl", "req", "-new", "-key", key, "-subj",
             "/CN=" + common_name, "-out", csr])
        run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey",
             ca_key, "-CAcreateserial", "-days", "2", "-out", pem])
        return pem, key

    @staticmethod
    def thumbprint(pem):
        """SHA-256 of the DER certificate, 64 uppercase hex digits."""
        out = run(["openssl", "x509", "-in", pem, "-noout", "-fingerprint",
                   "-sha256"]).stdout.decode()
        return out.strip().split("=", 1)[1].replace(":", "").upper()


def namespace(ca_pem, clients, sessions_per_name=1, dev=False):
    """A namespace where every client may publish and subscribe to every
    topic. `clients`: name → allowed thumbprints (None: the certificate
    subject must match, chained to `ca_pem`)."""
    with open(ca_pem) as f:
        ca_text = f.read()
    resources = []
    for name, thumbprints in clients.items():
        authentication = ({"validationScheme": "SubjectMatchesAuthenticationName"}
                          if thumbprints is None else
                          {"validationScheme": "ThumbprintMatch",
                           "allowedThumbprints": thumbprints})
        resources.append({"name": name, "properties": {
            "authenticationName": name,
            "clientCertificateAuthentication": authentication}})
    return {
        "namespace": {"name": "mqlab-test", "properties": {
            "topicSpacesConfiguration": {
                "state": "Enabled",
                "maximumClientSessionsPerAuthenticationName": sessions_per_name,
                "clientAuthentication": {
                    "alternativeAuthenticationNameSources":
                        ["ClientCertificateSubject"]}},
            "mqlab": {"allowUnauthenticatedUsername": dev}}},
        "caCertificates": [{"name": "test-ca", "properties": {
            "encodedCertificate": ca_text}}],
        "clients": resources,
        "topicSpaces": [{"name": "everything", "properties": {
            "topicTemplates": ["#"]}}],
        "permissionBindings": [
            {"name": "all-pub", "properties": {
                "clientGroupName": "$all", "topicSpaceName": "everything",
                "permission": "Publisher"}},
            {"name": "all-sub", "properties": {
                "clientGroupName": "$all", "topicSpaceName": "everything",
                "permission": "Subscriber"}}],
    }


def write_json(path, value):
    with open(path + ".partial", "w") as f:
        json.dump(value, f)
    os.replace(path + ".partial", path)


class Broker:
    """`mqlab broker ARGS` with --ready-file; ports[kind] once it listens."""

    def __init__(self, directory, args):
        self.directory = directory
        ready = os.path.join(directory, "ready")
        if os.path.exists(ready):
            os.remove(ready)
        self.log_path = os.path.join(directory, "broker.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [mqlab_binary(), "broker", "--ready-file", ready] + args,
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + PATIENCE_SECONDS
        while not os.path.exists(ready):
            if self.process.poll() is not None:
                raise AssertionError("the broker exited: " + self.log())
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("the broker did not start: " + self.log())
            time.sleep(0.05)
        self.ports = {}
        with open(ready) as f:
            for line in f:
                kind, address = line.split()
                self.ports[kind] = int(address.rsplit(":", 1)[1])

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_for_log(self, text):
        """Waits until the log holds `text`; returns the log."""
        deadline = time.monotonic() + PATIENCE_SECONDS
        while text not in self.log():
            if time.monotonic() > deadline:
                raise AssertionError("no %r in the log: %s" % (text, self.log()))
            time.sleep(0.05)
        return self.log()

    def signal(self, number):
        self.process.send_signal(number)

    def stop(self):
        """SIGTERM; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=PATIENCE_SECONDS)
        finally:
            self.kill()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


class TempDir:
    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(
            dir=os.environ.get("TEST_TMPDIR"))
        self.path = self._dir.name

    def cleanup(self):
        self._dir.cleanup()
