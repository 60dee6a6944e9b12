#pragma once

#include "common/Error.h"
#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"
#include "pki/HostNameMatcher.h"
#include "report/Diagnosis.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::report {

// What to verify: certificate files (any format PkiLoader reads: PEM, DER, PKCS#7, PKCS#12 without a
// password) against root certificates, the way libpq verifies a server's chain.
struct ChainCheckRequest
{
    QStringList files;
    QString rootFile;         // a root certificate file (sslrootcert=<file>)
    bool systemRoots = false; // sslrootcert=system
    QString crlFile;          // sslcrl
    QString crlDirectory;     // sslcrldir
    QString host;             // also run libpq's verify-full host-name check on the leaf
    // When neither rootFile nor systemRoots is given: libpq's default root file under this home
    // directory (~/.postgresql/root.crt) is used if it exists. Empty: no default.
    QString homeDirectory;
    QDateTime verificationTime; // invalid: now
};

struct LoadedCertificate
{
    pki::Certificate certificate;
    QString file;  // the file it came from
    int index = 0; // its position in that file
};

struct ChainCheckResult
{
    QList<LoadedCertificate> certificates; // leaf first, then the others in the order given
    TrustSource trust;                     // Kind::None: nothing to verify against
    std::optional<pki::ChainVerification> verification;
    std::optional<pki::HostNameMatch> hostName;
    QList<Finding> findings;
    bool ok = false;  // verified (and the host name matched, when one was given)
    QString headline; // one line verdict

    QList<pki::Certificate> presented() const;
    // Something was checked and failed: the chain did not verify, or the host name did not match.
    // (Not failed, not ok: shown without root certificates to verify against.)
    bool failed() const;
};

// The chain command: loads the certificates, picks the leaf (the first certificate that issued none
// of the others), verifies the chain with pki::ChainVerifier and, with a host, checks the leaf's
// names with pki::HostNameMatcher; the findings say which certificate fails and what to change.
class ChainCheck final
{
    Q_DECLARE_TR_FUNCTIONS(vf::report::ChainCheck)

public:
    ChainCheck() = delete;

    // Errors (input errors): a file that cannot be loaded or holds no certificate, a root file that
    // does not exist or cannot be read, the system store failing.
    static Result<ChainCheckResult> run(const ChainCheckRequest& request);
};

} // namespace vf::report
