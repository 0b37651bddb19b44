"""`mqlab broker`'s refusals to start: each bad argument gets exit status 2
and an error naming the file, address or JSON path and what was expected."""

import json
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import broker_fixture as fixture  # noqa: E402


class BrokerCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fixture.TempDir()
        cls.pki = fixture.Pki(cls.tmp.path)
        cls.config = os.path.join(cls.tmp.path, "namespace.json")
        fixture.write_json(cls.config, fixture.namespace(cls.pki.ca_pem, {}))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def refused(self, args):
        """Runs the broker; it must exit 2 at once. Returns its stderr."""
        result = subprocess.run([fixture.mqlab_binary(), "broker"] + args,
                                capture_output=True,
                                timeout=fixture.PATIENCE_SECONDS)
        self.assertEqual(result.returncode, 2, result.stderr)
        return result.stderr.decode()

    def tls(self, certificate=None, key=None, config=None):
        return ["--config", config or self.config,
                "--tls-cert", certificate or self.pki.server_pem,
                "--tls-key", key or self.pki.server_key,
                "--wss", "127.0.0.1:0", "--mqtts", "127.0.0.1:0"]

    def test_missing_certificate(self):
        missing = os.path.join(self.tmp.path, "missing.pem")
        self.assertIn("TLS certificate '%s': cannot read: No such file" %
                      missing, self.refused(self.tls(certificate=missing)))

    def test_key_that_is_not_a_key(self):
        garbage = os.path.join(self.tmp.path, "garbage.key")
        with open(garbage, "w") as f:
            f.write("not a key\n")
        self.assertIn("TLS key '%s': expected a PEM private key" % garbage,
                      self.refused(self.tls(key=garbage)))

    def test_key_of_another_certificate(self):
        self.assertIn("does not match the certificate",
                      self.refused(self.tls(key=self.pki.ca_key)))

    def test_port_in_use(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            error = self.refused(self.tls()[:-1] + ["127.0.0.1:%d" % port])
        self.assertIn("mqtts listener: cannot listen on 127.0.0.1:%d: Address "
                      "already in use" % port, error)

    def test_bad_namespace_file_names_the_json_path(self):
        with open(self.config) as f:
            bad = json.load(f)
        bad["clients"] = [{"name": "c1", "properties": {
            "clientCertificateAuthentication": {"validationScheme": "Foo"}}}]
        path = os.path.join(self.tmp.path, "bad.json")
        fixture.write_json(path, bad)
        error = self.refused(self.tls(config=path))
        self.assertIn("$.clients[0].properties.clientCertificateAuthentication"
                      ".validationScheme", error)
        self.assertIn("Foo", error)

    def test_missing_namespace_file(self):
        self.assertIn("namespace file '/nonexistent.json': cannot read",
                      self.refused(self.tls(config="/nonexistent.json")))

    def test_dev_listener_off_loopback_needs_force(self):
        self.assertIn("is not a loopback address", self.refused(
            ["--dev", "--dev-listener", "0.0.0.0:0"]))

    def test_no_listener_and_bad_addresses(self):
        self.assertIn("no listener", self.refused(["--config", self.config]))
        self.assertIn("--mqtts: listen address 'localhost:8883'",
                      self.refused(self.tls()[:-1] + ["localhost:8883"]))
        self.assertIn("expected one of error, warning, info, debug",
                      self.refused(["--dev", "--log-level", "loud"]))


if __name__ == "__main__":
    unittest.main()
