"""A bounded soak of `mqlab broker`: a few hundred real connections over TLS
and secure WebSockets at once, with abrupt disconnects, half-written
packets, slowloris-style stalls (a TLS handshake or a CONNECT trickled byte
by byte) and a subscriber that never reads, while paho clients publish QoS 1
messages. Asserted: the broker stays up and accepts new clients, its
resident memory stays under MEMORY_BOUND_BYTES, and every QoS 1 message the
broker acknowledged (PUBACK) reaches every subscriber that stayed connected.
Bounded by the number of connections and messages, not by a clock."""

import os
import random
import socket
import ssl
import struct
import sys
import threading
import unittest

import paho.mqtt.client as mqtt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import broker_fixture as fixture  # noqa: E402
from paho_client import Client, pump  # noqa: E402

NAMES = ["soak%d" % i for i in range(4)]
ABRUPT_CONNECTIONS = 200     # CONNECT (or part of it), then reset.
STALLED_CONNECTIONS = 100    # Handshake or CONNECT trickled, then left.
PUBLISHERS = 4
MESSAGES_PER_PUBLISHER = 200
# The broker's resident memory, all of the above open at once: connections
# cost their TLS state and buffers; the stalled reader at most the server's
# write-blocked bound (256 KiB) plus the core's maximum_outbound_bytes
# (4 MiB) plus its session queue. docs/server.md, "Bounds".
MEMORY_BOUND_BYTES = 96 << 20


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def mqtt_string(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def remaining_length(size):
    out = bytearray()
    while True:
        byte, size = size % 128, size // 128
        out.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(out)


def connect_packet(client_id, username):
    body = (mqtt_string("MQTT") + bytes([4, 0x82]) +
            struct.pack("!H", 60) + mqtt_string(client_id) +
            mqtt_string(username))
    return b"\x10" + remaining_length(len(body)) + body


def subscribe_packet(packet_id, topic, qos):
    body = struct.pack("!H", packet_id) + mqtt_string(topic) + bytes([qos])
    return b"\x82" + remaining_length(len(body)) + body


class SoakTest(unittest.TestCase):
    def setUp(self):
        self.tmp = fixture.TempDir()
        self.pki = fixture.Pki(self.tmp.path)
        self.certificates = {name: self.pki.client(name) for name in NAMES}
        config = os.path.join(self.tmp.path, "namespace.json")
        namespace = fixture.namespace(
            self.pki.ca_pem, {name: None for name in NAMES},
            sessions_per_name=100)
        limits = namespace["namespace"]["properties"]["mqlab"]
        # The publishers outrun the subscribers (one test thread drives
        # them all): queues big enough that no session overflows, which
        # would end it (Event Grid's reaction, tested elsewhere).
        limits["limits"] = {"rateLimitsLifted": True,
                            "connectsPerSecondPerUnit": 100000,
                            "maximumOfflineMessages": 10000}
        fixture.write_json(config, namespace)
        self.broker = fixture.Broker(self.tmp.path, [
            "--config", config, "--tls-cert", self.pki.server_pem,
            "--tls-key", self.pki.server_key, "--mqtts", "127.0.0.1:0",
            "--wss", "127.0.0.1:0", "--log-level", "warning"])
        self.ports = self.broker.ports
        self.random = random.Random(12)
        self.open_sockets = []

    def tearDown(self):
        for sock in self.open_sockets:
            sock.close()
        self.broker.kill()
        self.tmp.cleanup()

    def tls_socket(self, name, handshake=True):
        context = ssl.create_default_context(cafile=self.pki.ca_pem)
        context.load_cert_chain(*self.certificates[name])
        raw = socket.create_connection(("127.0.0.1", self.ports["mqtts"]))
        if not handshake:
            return raw
        return context.wrap_socket(raw, server_hostname="127.0.0.1")

    def abrupt(self, index):
        """CONNECT, all of it or a prefix, then a reset."""
        name = NAMES[index % len(NAMES)]
        sock = self.tls_socket(name)
        packet = connect_packet("abrupt-%d" % index, name)
        cut = self.random.choice([len(packet), len(packet) // 2, 3])
        sock.sendall(packet[:cut])
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        sock.close()

    def stall(self, index):
        """Left open: a TLS handshake begun with one byte, or half a
        CONNECT after the handshake."""
        name = NAMES[index % len(NAMES)]
        if index % 2:
            sock = self.tls_socket(name, handshake=False)
            sock.sendall(b"\x16")  # The first byte of a ClientHello.
        else:
            sock = self.tls_socket(name)
            packet = connect_packet("stall-%d" % index, name)
            sock.sendall(packet[:len(packet) // 2])
        self.open_sockets.append(sock)

    def stalled_reader(self):
        """Subscribes to everything and never reads again."""
        sock = self.tls_socket(NAMES[0])
        sock.sendall(connect_packet("never-reads", NAMES[0]))
        sock.recv(4)  # CONNACK.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(subscribe_packet(1, "soak/#", 1))
        self.open_sockets.append(sock)

    def test_broker_survives_and_delivers_every_acknowledged_message(self):
        subscribers = [
            Client(self.ports["wss" if i % 2 else "mqtts"], self.pki,
                   self.certificates[NAMES[i % len(NAMES)]], "sub-%d" % i,
                   websockets=bool(i % 2)) for i in range(2)]
        for subscriber in subscribers:
            self.assertEqual(subscriber.connect(), 0)
            subscriber.subscribe("soak/#")
        self.stalled_reader()

        threads = [threading.Thread(target=self.abrupt, args=(i,))
                   for i in range(ABRUPT_CONNECTIONS)]
        for i in range(STALLED_CONNECTIONS):
            self.stall(i)
        for thread in threads:
            thread.start()

        publishers = [
            Client(self.ports["wss" if i % 2 else "mqtts"], self.pki,
                   self.certificates[NAMES[i % len(NAMES)]], "pub-%d" % i,
                   version=mqtt.MQTTv311 if i % 2 else mqtt.MQTTv5,
                   websockets=bool(i % 2)) for i in range(PUBLISHERS)]
        acknowledged = set()
        sent = {}
        for publisher in publishers:
            self.assertEqual(publisher.connect(), 0)
            publisher.paho.on_publish = (
                lambda client, userdata, mid, p=publisher:
                acknowledged.add(sent[(p.paho._client_id, mid)]))
        everyone = subscribers + publishers
        for n in range(MESSAGES_PER_PUBLISHER):
            for i, publisher in enumerate(publishers):
                payload = ("%d/%d" % (i, n)).encode()
                info = publisher.paho.publish("soak/%d" % i, payload, qos=1)
                sent[(publisher.paho._client_id, info.mid)] = payload
            for client in everyone:
                client.paho.loop(timeout=0)
        total = PUBLISHERS * MESSAGES_PER_PUBLISHER
        pump(everyone, lambda: len(acknowledged) == total)
        for thread in threads:
            thread.join()
        memory = rss_bytes(self.broker.process.pid)
        print("broker resident memory with every connection open: %.1f MiB"
              % (memory / (1 << 20)), file=sys.stderr)

        def delivered(subscriber):
            return {m.payload for m in subscriber.messages}
        pump(everyone, lambda: all(acknowledged <= delivered(s)
                                   for s in subscribers))
        self.assertLess(memory, MEMORY_BOUND_BYTES)
        self.assertIsNone(self.broker.process.poll())
        # Still serving.
        late = Client(self.ports["mqtts"], self.pki,
                      self.certificates[NAMES[1]], "late")
        self.assertEqual(late.connect(), 0)
        self.assertEqual(self.broker.stop(), 0)


if __name__ == "__main__":
    unittest.main()
