#include "server/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "broker/certificate.h"

namespace mqlab::server {
namespace {

// A file the operator named: readable, or an error that says why not.
broker::Status CheckReadable(const std::string& what, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        what + " '" + path + "': cannot read: " + std::strerror(errno));
  }
  return absl::OkStatus();
}

// Client certificates are checked by the broker core once CONNECT names the
// client; here only that one was presented (SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
ssl_verify_result_t AcceptPresentedCertificate(SSL*, uint8_t*) {
  return ssl_verify_ok;
}

}  // namespace

std::string TakeTlsError() {
  const uint32_t code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

broker::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Create(
    const std::string& certificate_file, const std::string& key_file) {
  if (broker::Status status =
          CheckReadable("TLS certificate", certificate_file);
      !status.ok()) {
    return status;
  }
  if (broker::Status status = CheckReadable("TLS key", key_file);
      !status.ok()) {
    return status;
  }
  std::unique_ptr<TlsContext> tls(new TlsContext());
  tls->context_.reset(SSL_CTX_new(TLS_method()));
  SSL_CTX* context = tls->context_.get();
  // Event Grid: TLS 1.2 and 1.3 only.
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION);
  // The write buffer moves as it is consumed; writes may be partial.
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_custom_verify(context,
                            SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                            AcceptPresentedCertificate);
  if (SSL_CTX_use_certificate_chain_file(context, certificate_file.c_str()) !=
      1) {
    return absl::InvalidArgumentError(
        "TLS certificate '" + certificate_file +
        "': expected a PEM certificate chain: " + TakeTlsError());
  }
  bssl::UniquePtr<BIO> key_text(BIO_new_file(key_file.c_str(), "r"));
  bssl::UniquePtr<EVP_PKEY> key(
      key_text == nullptr
          ? nullptr
          : PEM_read_bio_PrivateKey(key_text.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "TLS key '" + key_file +
        "': expected a PEM private key: " + TakeTlsError());
  }
  if (SSL_CTX_use_PrivateKey(context, key.get()) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    return absl::InvalidArgumentError(
        "TLS key '" + key_file + "' does not match the certificate '" +
        certificate_file + "': " + TakeTlsError());
  }
  tls->trusted_cas_.reset(X509_STORE_new());
  return tls;
}

broker::Status TlsContext::SetTrustedCas(
    const std::vector<broker::CaCertificateResource>& certificates) {
  bssl::UniquePtr<X509_STORE> store(X509_STORE_new());
  for (const broker::CaCertificateResource& resource : certificates) {
    broker::StatusOr<bssl::UniquePtr<X509>> certificate =
        broker::ParsePemCertificate(resource.encoded_certificate);
    if (!certificate.ok()) {
      return absl::InvalidArgumentError(
          "CA certificate '" + resource.name +
          "': " + std::string(certificate.status().message()));
    }
    X509_STORE_add_cert(store.get(), certificate->get());
  }
  // A registered intermediate CA is a trust anchor of its own.
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  trusted_cas_ = std::move(store);
  return absl::OkStatus();
}

broker::StatusOr<broker::TransportIdentity> TlsContext::IdentityOf(
    const SSL* ssl, std::string peer) const {
  bssl::UniquePtr<X509> leaf(SSL_get_peer_certificate(ssl));
  if (leaf == nullptr) {
    return absl::UnauthenticatedError("the client presented no certificate");
  }
  if (X509_cmp_current_time(X509_get0_notBefore(leaf.get())) > 0 ||
      X509_cmp_current_time(X509_get0_notAfter(leaf.get())) < 0) {
    return absl::UnauthenticatedError(
        "the client certificate is outside its validity period");
  }
  // Server side, the peer chain holds the certificates after the leaf.
  STACK_OF(X509)* intermediates = SSL_get_peer_cert_chain(ssl);
  std::string issuer_thumbprint;
  bssl::UniquePtr<X509_STORE_CTX> verification(X509_STORE_CTX_new());
  if (X509_STORE_CTX_init(verification.get(), trusted_cas_.get(), leaf.get(),
                          intermediates) == 1 &&
      X509_verify_cert(verification.get()) == 1) {
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(verification.get());
    const X509* anchor = sk_X509_value(chain, sk_X509_num(chain) - 1);
    issuer_thumbprint = broker::CertificateThumbprint(*anchor);
  }
  ERR_clear_error();
  broker::TransportIdentity identity;
  identity.has_certificate = true;
  identity.certificate =
      broker::IdentityOfCertificate(*leaf, std::move(issuer_thumbprint));
  identity.peer = std::move(peer);
  return identity;
}

}  // namespace mqlab::server
