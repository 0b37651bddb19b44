// The client certificate each virtual client presents, as the TLS handshake
// would hand it to the broker (broker::TransportIdentity): subject and
// Subject Alternative Names expanded from the population's patterns, a
// thumbprint, and the thumbprint of the namespace's CA certificate it chains
// to. No certificate is ever built: the simulation's "TLS layer" hands the
// broker the identity directly, so the whole authentication path runs on it.
//
// Thumbprints (scenario.proto, ThumbprintScheme):
//  - derived: SHA-256 over the subject and the SANs (kind-tagged, in order),
//    64 uppercase hex digits: stable, so a ThumbprintMatch registration can
//    list it;
//  - explicit: the population's pattern, expanded;
//  - unregistered: SHA-256 over the same text with another prefix, which no
//    registration lists.
// With issuer_one_byte_off the issuer's thumbprint has its last hex digit
// changed: a chain to a CA certificate one byte off the namespace's.
#ifndef MQLAB_SIM_CERTIFICATE_IDENTITY_H_
#define MQLAB_SIM_CERTIFICATE_IDENTITY_H_

#include <string>

#include "absl/status/statusor.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"
#include "sim/name_pattern.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

// The identity of a client of the population whose certificate section is
// `certificate`, with `values` filling its patterns. `config` is the served
// namespace (issuer names resolve to its CA certificates' thumbprints).
// INVALID_ARGUMENT when the issuer names no CA certificate of the namespace.
absl::StatusOr<broker::TransportIdentity> VirtualIdentity(
    const scenario::Certificate& certificate, const PatternValues& values,
    const broker::NamespaceConfig& config);

// SHA-256 over `text`, 64 uppercase hex digits.
std::string Sha256Hex(std::string_view text);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CERTIFICATE_IDENTITY_H_
