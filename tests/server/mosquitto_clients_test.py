"""mosquitto_pub and mosquitto_sub (Debian's 2.0.11), MQTT 3.1.1 and 5.0,
against `mqlab broker`: over the development listener with the built-in
namespace, and over TLS with client certificates made by the openssl CLI
(chained to a registered CA with subject = authentication name, and
self-signed with a registered thumbprint). Refusals: no certificate, an
unknown CA, a wrong thumbprint, TLS 1.1."""

import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import broker_fixture as fixture  # noqa: E402

VERSIONS = ("mqttv311", "mqttv5")


class Subscriber:
    """mosquitto_sub printing 'topic payload' lines until it has `count`."""

    def __init__(self, args, count):
        self.process = subprocess.Popen(
            ["mosquitto_sub", "-v", "-C", str(count), "-q", "1"] + args,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self):
        try:
            out, err = self.process.communicate(
                timeout=fixture.PATIENCE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out.decode(), err.decode()


def publish_until_received(test, subscriber, publish_args, topic, payload):
    """Publishes until the subscriber (which may still be subscribing) has
    the message: no sleeping on a guess of how long SUBSCRIBE takes."""
    deadline = time.monotonic() + fixture.PATIENCE_SECONDS
    while subscriber.process.poll() is None and time.monotonic() < deadline:
        result = subprocess.run(
            ["mosquitto_pub", "-q", "1", "-t", topic, "-m", payload] +
            publish_args, capture_output=True)
        test.assertEqual(result.returncode, 0, result.stderr.decode())
        time.sleep(0.1)
    code, out, err = subscriber.finish()
    test.assertEqual(code, 0, err)
    test.assertIn("%s %s" % (topic, payload), out)


class DevListenerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = fixture.TempDir()
        self.broker = fixture.Broker(
            self.tmp.path, ["--dev", "--dev-listener", "127.0.0.1:0"])
        self.port = str(self.broker.ports["dev"])

    def tearDown(self):
        self.broker.kill()
        self.tmp.cleanup()

    def test_publish_and_subscribe_across_versions(self):
        for sub_version in VERSIONS:
            for pub_version in VERSIONS:
                topic = "dev/%s/%s" % (sub_version, pub_version)
                subscriber = Subscriber(
                    ["-p", self.port, "-V", sub_version, "-t", "dev/#"], 1)
                publish_until_received(
                    self, subscriber, ["-p", self.port, "-V", pub_version],
                    topic, "hello")

    def test_username_names_the_client_and_sigterm_exits_zero(self):
        subscriber = Subscriber(["-p", self.port, "-u", "alice", "-i",
                                 "alice-sub", "-t", "t"], 1)
        publish_until_received(self, subscriber,
                               ["-p", self.port, "-u", "alice"], "t", "x")
        log = self.broker.log()
        self.assertIn("INSECURE", log)
        self.assertIn('connected conn=', log)
        self.assertIn('client_id="alice-sub" auth="alice"', log)
        self.assertIn("reason=ClientInitiatedDisconnect", log)
        self.broker.signal(signal.SIGUSR1)
        self.broker.wait_for_log("stats connections=")
        self.assertEqual(self.broker.stop(), 0)
        self.assertIn("stopped", self.broker.log())


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fixture.TempDir()
        cls.pki = fixture.Pki(cls.tmp.path)
        cls.device = cls.pki.client("device1")
        cls.device_from_unknown_ca = cls.pki.client("device1", issuer="other")
        cls.self_signed = cls.pki.client("thumbdevice", issuer="self")
        cls.other_self_signed = cls.pki.client("thumbdevice2", issuer="self")
        config = os.path.join(cls.tmp.path, "namespace.json")
        fixture.write_json(config, fixture.namespace(cls.pki.ca_pem, {
            "device1": None,
            "thumbdevice": [fixture.Pki.thumbprint(cls.self_signed[0])],
        }, sessions_per_name=3))
        cls.broker = fixture.Broker(cls.tmp.path, [
            "--config", config, "--tls-cert", cls.pki.server_pem,
            "--tls-key", cls.pki.server_key, "--mqtts", "127.0.0.1:0", "--wss", "127.0.0.1:0"])
        cls.port = str(cls.broker.ports["mqtts"])

    @classmethod
    def tearDownClass(cls):
        cls.broker.kill()
        cls.tmp.cleanup()

    def tls_args(self, certificate, version, client_id):
        return ["-h", "127.0.0.1", "-p", self.port, "--cafile",
                self.pki.ca_pem, "--cert", certificate[0], "--key",
                certificate[1], "-V", version, "-i", client_id]

    def test_chained_certificate_both_versions(self):
        for sub_version in VERSIONS:
            for pub_version in VERSIONS:
                topic = "tls/%s/%s" % (sub_version, pub_version)
                subscriber = Subscriber(
                    self.tls_args(self.device, sub_version, "sub") +
                    ["-t", "tls/#"], 1)
                publish_until_received(
                    self, subscriber,
                    self.tls_args(self.device, pub_version, "pub"), topic,
                    "chained")

    def test_self_signed_certificate_by_thumbprint(self):
        subscriber = Subscriber(
            self.tls_args(self.self_signed, "mqttv5", "thumb-sub") +
            ["-u", "thumbdevice", "-t", "thumb"], 1)
        publish_until_received(
            self, subscriber,
            self.tls_args(self.self_signed, "mqttv311", "thumb-pub") +
            ["-u", "thumbdevice"], "thumb", "self-signed")

    def refused(self, args):
        result = subprocess.run(
            ["mosquitto_pub", "-t", "t", "-m", "x"] + args,
            capture_output=True, timeout=fixture.PATIENCE_SECONDS)
        self.assertNotEqual(result.returncode, 0)
        return result.stderr.decode()

    def test_no_client_certificate_is_refused(self):
        self.refused(["-h", "127.0.0.1", "-p", self.port, "--cafile",
                      self.pki.ca_pem, "-i", "nocert", "-u", "device1"])
        self.broker.wait_for_log("PEER_DID_NOT_RETURN_A_CERTIFICATE")

    def test_certificate_from_unknown_ca_is_refused(self):
        for version in VERSIONS:
            error = self.refused(self.tls_args(
                self.device_from_unknown_ca, version, "unknown-ca"))
            self.assertIn("not authori", error.lower())
        self.broker.wait_for_log(
            'client_id="unknown-ca" auth="device1" '
            'reason=ClientAuthenticationError reason_code=0x87 detail=the '
            'certificate did not chain to a CA certificate registered')

    def test_wrong_thumbprint_is_refused(self):
        self.refused(self.tls_args(self.other_self_signed, "mqttv5",
                                   "wrong-thumb") + ["-u", "thumbdevice"])
        self.broker.wait_for_log(
            'client_id="wrong-thumb" auth="thumbdevice" '
            "reason=ClientAuthenticationError reason_code=0x87 detail=the "
            "certificate's thumbprint is not one of")

    def test_tls_1_1_is_refused(self):
        # OpenSSL 3 offers TLS 1.1 only at security level 0.
        result = subprocess.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:" + self.port,
             "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert",
             self.device[0], "-key", self.device[1]],
            stdin=subprocess.DEVNULL, capture_output=True,
            timeout=fixture.PATIENCE_SECONDS)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b"Cipher is (NONE)", result.stdout)
        self.broker.wait_for_log("UNSUPPORTED_PROTOCOL")

    def test_tls_1_2_and_1_3_are_accepted(self):
        for version in ("-tls1_2", "-tls1_3"):
            result = subprocess.run(
                ["openssl", "s_client", "-connect", "127.0.0.1:" + self.port,
                 version, "-cert", self.device[0], "-key", self.device[1],
                 "-CAfile", self.pki.ca_pem],
                stdin=subprocess.DEVNULL, capture_output=True,
                timeout=fixture.PATIENCE_SECONDS)
            self.assertIn(b"Verify return code: 0 (ok)", result.stdout)

    def test_plaintext_on_the_tls_port_is_refused(self):
        self.refused(["-h", "127.0.0.1", "-p", self.port, "-i", "plain",
                      "-u", "device1"])


if __name__ == "__main__":
    unittest.main()
