"""A paho-mqtt client for the tests, driven from the test's own thread."""

import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import broker_fixture as fixture

V5, V311 = mqtt.MQTTv5, mqtt.MQTTv311


def code(reason):
    """A paho reason (int, or ReasonCodes in v5) as an int."""
    return getattr(reason, "value", reason)


class Client:
    """One paho client, driven from the test's thread (client.loop), so that
    no background reconnect muddles what the broker saw."""

    def __init__(self, port, pki, certificate, client_id, version=V5,
                 websockets=False):
        self.port = port
        self.version = version
        self.paho = mqtt.Client(
            client_id=client_id, protocol=version,
            clean_session=None if version == V5 else True,
            transport="websockets" if websockets else "tcp")
        if websockets:
            self.paho.ws_set_options(path="/mqtt")
        self.paho.tls_set(ca_certs=pki.ca_pem, certfile=certificate[0],
                          keyfile=certificate[1])
        self.connack = None
        self.connack_properties = None
        self.disconnect = None
        self.messages = []
        self.subscribed = False
        self.paho.on_connect = self._on_connect
        self.paho.on_disconnect = self._on_disconnect
        self.paho.on_message = lambda c, u, message: self.messages.append(
            message)
        self.paho.on_subscribe = self._on_subscribe

    def _on_connect(self, client, userdata, flags, reason, properties=None):
        self.connack = code(reason)
        self.connack_properties = properties

    def _on_disconnect(self, client, userdata, reason, properties=None):
        self.disconnect = code(reason)

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        self.subscribed = True

    def connect(self, properties=None):
        self.paho.connect("127.0.0.1", self.port, keepalive=60,
                          properties=properties)
        pump([self], lambda: self.connack is not None or
             self.disconnect is not None)
        return self.connack

    def subscribe(self, topic):
        self.subscribed = False
        self.paho.subscribe(topic, qos=1)
        pump([self], lambda: self.subscribed)


def pump(clients, condition):
    """Runs the clients' network loops until `condition` holds."""
    deadline = time.monotonic() + fixture.PATIENCE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the expected event did not happen")
        for client in clients:
            client.paho.loop(timeout=0.01)


def connect_properties(**values):
    properties = Properties(PacketTypes.CONNECT)
    for name, value in values.items():
        setattr(properties, name, value)
    return properties
