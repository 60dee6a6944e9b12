#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <QTest>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cerrno>

class TestOpenSslError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { ERR_clear_error(); }

    void emptyQueueSaysNoError()
    {
        QCOMPARE(vf::ossl::firstReason(), QStringLiteral("no SSL error reported"));
        QVERIFY(vf::ossl::drainErrors().isEmpty());
    }

    void drainsTheWholeQueue()
    {
        // A PEM read of garbage puts a real error on the queue.
        auto bio = vf::ossl::memBioFrom(QByteArrayLiteral("not a certificate"));
        QVERIFY(bio);
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        QVERIFY(cert == nullptr);
        QCOMPARE(vf::ossl::firstReason(), QStringLiteral("no start line"));
        const QStringList errors = vf::ossl::drainErrors();
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().contains(u"no start line"), qPrintable(errors.join(u'\n')));
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void makeErrorCarriesQueueAsDetail()
    {
        ERR_raise(ERR_LIB_PEM, PEM_R_BAD_DECRYPT);
        const vf::Error e = vf::ossl::makeError(QStringLiteral("pki.test"), QStringLiteral("could not load"));
        QCOMPARE(e.code, QStringLiteral("pki.test"));
        QCOMPARE(e.detail.size(), 1);
        QVERIFY(e.detail.first().contains(u"bad decrypt"));
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void libpqReasonStrings()
    {
        // System errors read as strerror(), as libpq 15.18+ prints them.
        ERR_raise(ERR_LIB_SYS, ENOENT);
        QCOMPARE(vf::ossl::firstReason(), QStringLiteral("No such file or directory"));
        ERR_clear_error();
        QCOMPARE(vf::ossl::reasonString(
                     ERR_PACK(ERR_LIB_SSL, 0, SSL_AD_REASON_OFFSET + SSL_AD_NO_APPLICATION_PROTOCOL)),
                 QStringLiteral("no application protocol"));
        QCOMPARE(vf::ossl::reasonString(ERR_PACK(ERR_LIB_SSL, 0, SSL_R_CERTIFICATE_VERIFY_FAILED)),
                 QStringLiteral("certificate verify failed"));
        QCOMPARE(vf::ossl::reasonString(0), QStringLiteral("no SSL error reported"));
    }

    void bioRoundTrip()
    {
        QByteArray big(3 * 1024 * 1024, 'x');
        big[12345] = '\0';
        auto in = vf::ossl::memBioFrom(big);
        QVERIFY(in);
        QCOMPARE(vf::ossl::bytesOf(in.get()), big);
        auto out = vf::ossl::newMemBio();
        QCOMPARE(BIO_write(out.get(), "abc", 3), 3);
        QCOMPARE(vf::ossl::bytesOf(out.get()), QByteArrayLiteral("abc"));
        QCOMPARE(vf::ossl::bytesOf(nullptr), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestOpenSslError)
#include "tst_opensslerror.moc"
