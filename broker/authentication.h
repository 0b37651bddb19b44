// Authentication of a CONNECT: which client is connecting, and whether its
// certificate proves it.
//
// 1. The namespace authenticates by client certificate: a connection without
//    one is refused, unless the namespace allows unauthenticated usernames
//    (mqlab's dev mode), where the Username alone names the client.
// 2. The authentication name is the CONNECT's Username; without one (or with
//    an empty one), the namespace's alternativeAuthenticationNameSources are
//    read from the certificate in order and the first that yields a value
//    wins (Subject: the subject's common name; Dns/Uri/Ip/Email: the first
//    Subject Alternative Name of that kind). No name: refused.
// 3. A client with that authentication name (ignoring ASCII case) must exist
//    and be enabled.
// 4. Its validationScheme must accept the certificate:
//    - SubjectMatchesAuthenticationName, Dns..., Uri..., Ip..., Email...: the
//      certificate chained to a registered CA certificate (its
//      issuer_thumbprint is one) and the named field holds the client's
//      authentication name (ignoring ASCII case): the subject's common name
//      (Azure's samples issue "CN=<authentication name>"), or any SAN of the
//      kind.
//    - ThumbprintMatch: the certificate's SHA-256 thumbprint is one of the
//      client's allowedThumbprints (ignoring case); self-signed is fine.
//
// Every failure answers CONNACK 0x87 Not Authorized (3.1.1: return code 5)
// and is reported with disconnection reason ClientAuthenticationError; the
// failure kind and detail say precisely which check failed (docs/namespace.md
// explains why one code).
#ifndef MQLAB_BROKER_AUTHENTICATION_H_
#define MQLAB_BROKER_AUTHENTICATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/directory.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "mqtt/reason_code.h"

namespace mqlab::broker {

enum class AuthenticationFailure : uint8_t {
  kNone = 0,
  kNoCertificate,         // No client certificate; the namespace needs one.
  kNoAuthenticationName,  // No Username and no source yielded a name.
  kUnknownClient,         // No client has that authentication name.
  kClientDisabled,        // The client resource is Disabled.
  kCertificateNotFromRegisteredCa,  // Did not chain to a registered CA.
  kCertificateFieldMismatch,        // The scheme's field lacks the name.
  kThumbprintNotAllowed,  // ThumbprintMatch: not an allowed thumbprint.
};

// A stable lower-case name for logs and events: "client-disabled".
std::string_view AuthenticationFailureName(AuthenticationFailure failure);

struct AuthenticationResult {
  AuthenticationFailure failure = AuthenticationFailure::kNone;
  // The client: on success, and on failures after it was found.
  std::string client_name;
  // On success, the client's authentication name as configured (its case);
  // on failure, the name that was looked up (empty if none).
  std::string authentication_name;
  // The v5 CONNACK reason code: kSuccess or kNotAuthorized.
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // kNone on success, kClientAuthenticationError on failure.
  DisconnectionReason disconnection_reason = DisconnectionReason::kNone;
  // What failed, in words (static text; empty on success).
  std::string_view detail;

  bool ok() const { return failure == AuthenticationFailure::kNone; }
};

// Authenticates a CONNECT that arrived on a connection with `identity`;
// `username` is the CONNECT's User Name when it has one.
AuthenticationResult Authenticate(const Directory& directory,
                                  const TransportIdentity& identity,
                                  std::optional<std::string_view> username);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_AUTHENTICATION_H_
