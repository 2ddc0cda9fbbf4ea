// A self-signed certificate for localhost and 127.0.0.1, made by openssl for the TLS tests.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "store_fixtures.hpp"

namespace doorstep::testing {

struct CertificateFiles {
    std::string Cert;  // PEM, also the CA to trust
    std::string Key;
};

// In `dir`; nothing when openssl cannot make one.
inline std::optional<CertificateFiles> MakeSelfSignedCertificate(const TempDir& dir) {
    CertificateFiles files{dir.File("cert.pem"), dir.File("key.pem")};
    std::string make =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        files.Key + " -out " + files.Cert + " >/dev/null 2>&1";
    if (std::system(make.c_str()) != 0) {
        return std::nullopt;
    }
    return files;
}

}  // namespace doorstep::testing
