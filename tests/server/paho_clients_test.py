"""paho-mqtt (Debian's python3-paho-mqtt 1.6, MQTT 3.1.1 and 5.0) against
`mqlab broker` over TLS with client certificates: publish and subscribe
across versions, request-response with correlation data, and the seed's
limitations as a real client sees them (will refused with 0x83, QoS 2 and
retain refused with the connection closed, the CONNACK properties, session
takeover, several sessions of one authentication name); SIGHUP deleting a
client ends its connection; SIGTERM gives v5 clients DISCONNECT 0x8B."""

import os
import signal
import socket
import ssl
import sys
import unittest

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import broker_fixture as fixture  # noqa: E402
from paho_client import V5, V311, Client, pump, connect_properties  # noqa: E402


class PahoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fixture.TempDir()
        cls.pki = fixture.Pki(cls.tmp.path)
        cls.certificates = {name: cls.pki.client(name) for name in
                            ("device1", "device2", "device3")}
        cls.config = os.path.join(cls.tmp.path, "namespace.json")
        fixture.write_json(cls.config, fixture.namespace(
            cls.pki.ca_pem, {name: None for name in cls.certificates},
            sessions_per_name=3))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.broker = fixture.Broker(self.tmp.path, [
            "--config", self.config, "--tls-cert", self.pki.server_pem,
            "--tls-key", self.pki.server_key, "--mqtts", "127.0.0.1:0",
            "--wss", "127.0.0.1:0"])
        self.port = self.broker.ports["mqtts"]
        self.wss_port = self.broker.ports["wss"]

    def tearDown(self):
        self.broker.kill()

    def client(self, name, client_id, version=V5, websockets=False):
        return Client(self.wss_port if websockets else self.port, self.pki,
                      self.certificates[name], client_id, version, websockets)

    def test_publish_and_subscribe_both_ways_across_versions(self):
        for sub_version, pub_version in ((V5, V311), (V311, V5)):
            subscriber = self.client("device1", "sub", sub_version)
            publisher = self.client("device2", "pub", pub_version)
            self.assertEqual(subscriber.connect(), 0)
            self.assertEqual(publisher.connect(), 0)
            subscriber.subscribe("across/#")
            publisher.paho.publish("across/x", b"hello", qos=1)
            pump([subscriber, publisher], lambda: subscriber.messages)
            self.assertEqual(subscriber.messages[0].topic, "across/x")
            self.assertEqual(subscriber.messages[0].payload, b"hello")
            subscriber.paho.disconnect()
            publisher.paho.disconnect()
            pump([subscriber, publisher],
                 lambda: subscriber.disconnect is not None and
                 publisher.disconnect is not None)

    def test_secure_websockets_both_versions_and_across_listeners(self):
        cases = ((V5, True, V311, True), (V311, True, V5, False),
                 (V5, False, V311, True))
        for sub_version, sub_ws, pub_version, pub_ws in cases:
            subscriber = self.client("device1", "ws-sub", sub_version, sub_ws)
            publisher = self.client("device2", "ws-pub", pub_version, pub_ws)
            self.assertEqual(subscriber.connect(), 0)
            self.assertEqual(publisher.connect(), 0)
            subscriber.subscribe("ws/#")
            # Several packets in one frame and one packet over several
            # reads: a burst, and a payload larger than a TLS record.
            big = bytes(range(256)) * 100
            for i in range(5):
                publisher.paho.publish("ws/%d" % i, b"m%d" % i, qos=1)
            publisher.paho.publish("ws/big", big, qos=1)
            pump([subscriber, publisher], lambda: len(subscriber.messages) == 6)
            self.assertEqual([m.payload for m in subscriber.messages[:5]],
                             [b"m%d" % i for i in range(5)])
            self.assertEqual(subscriber.messages[5].payload, big)
            subscriber.paho.disconnect()
            publisher.paho.disconnect()
            pump([subscriber, publisher],
                 lambda: subscriber.disconnect is not None and
                 publisher.disconnect is not None)
        self.assertIn("listener=wss", self.broker.log())

    def test_websocket_upgrade_without_mqtt_subprotocol_is_refused(self):
        context = ssl.create_default_context(cafile=self.pki.ca_pem)
        context.load_cert_chain(*self.certificates["device1"])
        with socket.create_connection(("127.0.0.1", self.wss_port)) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(
                    b"GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    b"Sec-WebSocket-Version: 13\r\n\r\n")
                answer = b""
                while True:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer)
        self.assertIn(b"mqtt", answer)

    def test_request_response_with_correlation_data(self):
        responder = self.client("device1", "responder")
        requester = self.client("device2", "requester")
        self.assertEqual(responder.connect(), 0)
        self.assertEqual(requester.connect(), 0)
        responder.subscribe("requests/#")
        requester.subscribe("responses/requester")

        def answer(client, userdata, message):
            properties = Properties(PacketTypes.PUBLISH)
            properties.CorrelationData = message.properties.CorrelationData
            client.publish(message.properties.ResponseTopic,
                           b"answer to " + message.payload, qos=1,
                           properties=properties)
        responder.paho.on_message = answer
        request = Properties(PacketTypes.PUBLISH)
        request.ResponseTopic = "responses/requester"
        request.CorrelationData = b"id-42"
        requester.paho.publish("requests/time", b"what time", qos=1,
                               properties=request)
        pump([responder, requester], lambda: requester.messages)
        response = requester.messages[0]
        self.assertEqual(response.payload, b"answer to what time")
        self.assertEqual(response.properties.CorrelationData, b"id-42")

    def test_connack_properties(self):
        client = self.client("device1", "props")
        self.assertEqual(client.connect(connect_properties(
            SessionExpiryInterval=7200)), 0)
        properties = client.connack_properties
        self.assertEqual(properties.MaximumQoS, 1)
        self.assertEqual(properties.RetainAvailable, 0)
        self.assertEqual(properties.TopicAliasMaximum, 10)
        self.assertEqual(properties.MaximumPacketSize, 524288)
        self.assertEqual(properties.SessionExpiryInterval, 3600)

    def test_will_is_refused_with_0x83(self):
        client = self.client("device1", "will")
        client.paho.will_set("last/will", b"bye", qos=0)
        self.assertEqual(client.connect(), 0x83)

    def test_qos2_and_retain_close_the_connection(self):
        for version in (V5, V311):
            for qos, retain, v5_reason in ((2, False, 0x9B), (1, True, 0x9A)):
                client = self.client("device1", "limits", version)
                self.assertEqual(client.connect(), 0)
                client.paho.publish("t", b"x", qos=qos, retain=retain)
                pump([client], lambda: client.disconnect is not None)
                if version == V5:
                    self.assertEqual(client.disconnect, v5_reason)
                else:
                    self.assertNotEqual(client.disconnect, 0)

    def test_takeover_by_another_name_refused_by_the_same_accepted(self):
        first = self.client("device1", "shared")
        self.assertEqual(first.connect(), 0)
        other = self.client("device2", "shared")
        self.assertEqual(other.connect(), 0x87)  # Not authorized.
        same = self.client("device1", "shared")
        self.assertEqual(same.connect(), 0)
        pump([first, same], lambda: first.disconnect is not None)
        self.assertEqual(first.disconnect, 0x8E)  # Session taken over.
        self.broker.wait_for_log("reason=SessionTakenOver")

    def test_three_sessions_of_one_authentication_name(self):
        sessions = [self.client("device3", "s%d" % i) for i in range(4)]
        for session in sessions[:3]:
            self.assertEqual(session.connect(connect_properties(
                SessionExpiryInterval=60)), 0)
        self.assertEqual(sessions[3].connect(), 0x97)  # Quota exceeded.
        for session in sessions[:3]:
            self.assertIsNone(session.disconnect)

    def test_sighup_deleting_a_client_ends_its_connection(self):
        kept = self.client("device1", "kept")
        deleted = self.client("device2", "deleted")
        self.assertEqual(kept.connect(), 0)
        self.assertEqual(deleted.connect(), 0)
        reduced = os.path.join(self.tmp.path, "reduced.json")
        fixture.write_json(reduced, fixture.namespace(
            self.pki.ca_pem, {"device1": None, "device3": None},
            sessions_per_name=3))
        os.replace(self.config, self.config + ".full")
        os.replace(reduced, self.config)
        try:
            self.broker.signal(signal.SIGHUP)
            pump([kept, deleted], lambda: deleted.disconnect is not None)
        finally:
            os.replace(self.config + ".full", self.config)
        self.assertIsNone(kept.disconnect)
        self.broker.wait_for_log("reloaded namespace: upserted=0 deleted=1")
        self.assertIn('client_id="deleted" auth="device2" '
                      "reason=ClientAuthenticationError", self.broker.log())

    def test_sigterm_tells_v5_clients_server_shutting_down(self):
        client = self.client("device1", "until-the-end")
        self.assertEqual(client.connect(), 0)
        self.broker.signal(signal.SIGTERM)
        pump([client], lambda: client.disconnect is not None)
        self.assertEqual(client.disconnect, 0x8B)
        self.assertEqual(self.broker.stop(), 0)


if __name__ == "__main__":
    unittest.main()
