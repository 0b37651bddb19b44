#include "broker/authentication.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "base/absl_string_view.h"
#include "broker/distinguished_name.h"

namespace mqlab::broker {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(ToAbsl(a), ToAbsl(b));
}

const std::vector<std::string>& SansOfKind(const CertificateIdentity& identity,
                                           AuthenticationNameSource source) {
  switch (source) {
    case AuthenticationNameSource::kClientCertificateDns:
      return identity.dns_names;
    case AuthenticationNameSource::kClientCertificateUri:
      return identity.uris;
    case AuthenticationNameSource::kClientCertificateIp:
      return identity.ip_addresses;
    case AuthenticationNameSource::kClientCertificateEmail:
      return identity.emails;
    case AuthenticationNameSource::kClientCertificateSubject:
      break;
  }
  static const auto* const kNoSans = new std::vector<std::string>();
  return *kNoSans;  // The subject is not a Subject Alternative Name.
}

// The authentication name `source` yields from the certificate, if any.
std::optional<std::string> NameFromCertificate(
    const CertificateIdentity& identity, AuthenticationNameSource source) {
  if (source == AuthenticationNameSource::kClientCertificateSubject) {
    std::optional<std::string> common_name = CommonNameOf(identity.subject);
    if (common_name.has_value() && common_name->empty()) return std::nullopt;
    return common_name;
  }
  const std::vector<std::string>& names = SansOfKind(identity, source);
  for (const std::string& name : names) {
    if (!name.empty()) return name;
  }
  return std::nullopt;
}

// Whether the certificate field the scheme names holds `name`.
bool FieldHoldsName(const CertificateIdentity& identity,
                    ValidationScheme scheme, std::string_view name) {
  // Set by every case that breaks (gcc -O2 cannot tell).
  AuthenticationNameSource source =
      AuthenticationNameSource::kClientCertificateDns;
  switch (scheme) {
    case ValidationScheme::kSubjectMatchesAuthenticationName: {
      const std::optional<std::string> common_name =
          CommonNameOf(identity.subject);
      return common_name.has_value() && SameName(*common_name, name);
    }
    case ValidationScheme::kDnsMatchesAuthenticationName:
      source = AuthenticationNameSource::kClientCertificateDns;
      break;
    case ValidationScheme::kUriMatchesAuthenticationName:
      source = AuthenticationNameSource::kClientCertificateUri;
      break;
    case ValidationScheme::kIpMatchesAuthenticationName:
      source = AuthenticationNameSource::kClientCertificateIp;
      break;
    case ValidationScheme::kEmailMatchesAuthenticationName:
      source = AuthenticationNameSource::kClientCertificateEmail;
      break;
    case ValidationScheme::kThumbprintMatch:
      return false;
  }
  const std::vector<std::string>& names = SansOfKind(identity, source);
  return std::any_of(names.begin(), names.end(), [&](const std::string& san) {
    return SameName(san, name);
  });
}

AuthenticationResult Refuse(AuthenticationResult result,
                            AuthenticationFailure failure,
                            std::string_view detail) {
  result.failure = failure;
  result.reason_code = mqtt::ReasonCode::kNotAuthorized;
  result.disconnection_reason = DisconnectionReason::kClientAuthenticationError;
  result.detail = detail;
  return result;
}

}  // namespace

std::string_view AuthenticationFailureName(AuthenticationFailure failure) {
  switch (failure) {
    case AuthenticationFailure::kNone:
      return "none";
    case AuthenticationFailure::kNoCertificate:
      return "no-certificate";
    case AuthenticationFailure::kNoAuthenticationName:
      return "no-authentication-name";
    case AuthenticationFailure::kUnknownClient:
      return "unknown-client";
    case AuthenticationFailure::kClientDisabled:
      return "client-disabled";
    case AuthenticationFailure::kCertificateNotFromRegisteredCa:
      return "certificate-not-from-registered-ca";
    case AuthenticationFailure::kCertificateFieldMismatch:
      return "certificate-field-mismatch";
    case AuthenticationFailure::kThumbprintNotAllowed:
      return "thumbprint-not-allowed";
  }
  return "";
}

AuthenticationResult Authenticate(const Directory& directory,
                                  const TransportIdentity& identity,
                                  std::optional<std::string_view> username) {
  AuthenticationResult result;
  if (!identity.has_certificate &&
      !directory.allow_unauthenticated_username()) {
    return Refuse(std::move(result), AuthenticationFailure::kNoCertificate,
                  "the client presented no certificate; the namespace "
                  "authenticates clients by X.509 certificate");
  }
  if (username.has_value() && !username->empty()) {
    result.authentication_name = std::string(*username);
  } else if (identity.has_certificate) {
    for (AuthenticationNameSource source :
         directory.alternative_authentication_name_sources()) {
      if (std::optional<std::string> name =
              NameFromCertificate(identity.certificate, source)) {
        result.authentication_name = *std::move(name);
        break;
      }
    }
  }
  if (result.authentication_name.empty()) {
    return Refuse(std::move(result),
                  AuthenticationFailure::kNoAuthenticationName,
                  "no authentication name: CONNECT has no Username and no "
                  "alternative authentication name source yields one from "
                  "the certificate");
  }
  const ClientResource* client =
      directory.FindClientByAuthenticationName(result.authentication_name);
  if (client == nullptr) {
    return Refuse(std::move(result), AuthenticationFailure::kUnknownClient,
                  "no client has this authentication name");
  }
  result.client_name = client->name;
  if (client->state != ClientState::kEnabled) {
    return Refuse(std::move(result), AuthenticationFailure::kClientDisabled,
                  "the client is disabled");
  }
  if (identity.has_certificate) {
    const CertificateIdentity& certificate = identity.certificate;
    if (client->validation_scheme == ValidationScheme::kThumbprintMatch) {
      const bool allowed = std::any_of(
          client->allowed_thumbprints.begin(),
          client->allowed_thumbprints.end(), [&](const std::string& allowed) {
            return SameName(allowed, certificate.thumbprint);
          });
      if (!allowed) {
        return Refuse(std::move(result),
                      AuthenticationFailure::kThumbprintNotAllowed,
                      "the certificate's thumbprint is not one of the "
                      "client's allowedThumbprints");
      }
    } else {
      if (certificate.issuer_thumbprint.empty() ||
          !directory.IsRegisteredCaThumbprint(certificate.issuer_thumbprint)) {
        return Refuse(std::move(result),
                      AuthenticationFailure::kCertificateNotFromRegisteredCa,
                      "the certificate did not chain to a CA certificate "
                      "registered in the namespace");
      }
      if (!FieldHoldsName(certificate, client->validation_scheme,
                          client->authentication_name)) {
        return Refuse(std::move(result),
                      AuthenticationFailure::kCertificateFieldMismatch,
                      "the certificate field the client's validation scheme "
                      "names does not hold its authentication name");
      }
    }
  }
  // Dev mode without a certificate: the Username alone names the client.
  result.authentication_name = client->authentication_name;
  return result;
}

}  // namespace mqlab::broker
