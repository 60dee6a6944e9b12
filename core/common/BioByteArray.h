#pragma once

// Internal to vf_core: moving bytes between OpenSSL BIOs and QByteArray.

#include "OpenSsl.h"

#include <QByteArray>

namespace vf::ossl {

// A read-only memory BIO over a copy of the bytes (safe to outlive `data`).
BioPtr memBioFrom(const QByteArray& data);

// A new empty, writable memory BIO.
BioPtr newMemBio();

// Everything written to a memory BIO so far.
QByteArray bytesOf(BIO* bio);

} // namespace vf::ossl
