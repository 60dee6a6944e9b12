#include "auth/ScramClient.h"

#include <QTest>

using vf::auth::ScramClient;

class TestScramClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // RFC 7677 section 3: user "user", password "pencil".
    void rfc7677Vector()
    {
        ScramClient c("pencil", ScramClient::Binding::None, {}, "rOprNGfwEbeRWgbNEkqO", "user");
        QCOMPARE(c.clientFirstMessage(), QByteArray("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        const auto final = c.handleServerFirst(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        QVERIFY2(final.has_value(), final ? "" : qPrintable(final.error().message));
        QCOMPARE(*final, QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        QVERIFY(!c.finished());
        const auto done = c.handleServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QVERIFY2(done.has_value(), done ? "" : qPrintable(done.error().message));
        QVERIFY(c.finished());
        QVERIFY(!c.channelBound());
    }

    void libpqShapeOfFirstMessage_data()
    {
        QTest::addColumn<int>("binding");
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<QByteArray>("cbind");
        QTest::addRow("n") << int(ScramClient::Binding::None) << QByteArray("n,,n=,r=") << QByteArray("biws");
        QTest::addRow("y") << int(ScramClient::Binding::ClientSupportsOnly) << QByteArray("y,,n=,r=")
                           << QByteArray("eSws");
        QTest::addRow("p") << int(ScramClient::Binding::TlsServerEndPoint)
                           << QByteArray("p=tls-server-end-point,,n=,r=")
                           << QByteArray("p=tls-server-end-point,,HASH").toBase64();
    }
    void libpqShapeOfFirstMessage()
    {
        QFETCH(int, binding);
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, cbind);
        ScramClient c("secret", ScramClient::Binding(binding), "HASH");
        const QByteArray first = c.clientFirstMessage();
        QVERIFY2(first.startsWith(prefix), first.constData());
        const QByteArray nonce = first.mid(prefix.size());
        QCOMPARE(nonce.size(), 24); // 18 random bytes in base64
        const auto final = c.handleServerFirst("r=" + nonce + "SERVER,s=c2FsdA==,i=4096");
        QVERIFY(final.has_value());
        QVERIFY2(final->startsWith(QByteArray("c=" + cbind + ",r=" + nonce + "SERVER,p=")),
                 final->constData());
        QCOMPARE(QByteArray(c.mechanism()), binding == int(ScramClient::Binding::TlsServerEndPoint)
                                                ? QByteArray("SCRAM-SHA-256-PLUS")
                                                : QByteArray("SCRAM-SHA-256"));
    }

    void hostileServerFirst_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("expected");
        QTest::addRow("nonce mismatch") << QByteArray("r=OTHER,s=c2FsdA==,i=4096")
                                        << QStringLiteral("invalid SCRAM response (nonce mismatch)");
        QTest::addRow("nonce shorter than ours") << QByteArray("r=NONC,s=c2FsdA==,i=4096")
                                                 << QStringLiteral("invalid SCRAM response (nonce mismatch)");
        QTest::addRow("empty") << QByteArray()
                               << QStringLiteral("malformed SCRAM message (attribute \"r\" expected)");
        QTest::addRow("no salt") << QByteArray("r=NONCEx,i=4096")
                                 << QStringLiteral("malformed SCRAM message (attribute \"s\" expected)");
        QTest::addRow("bad salt") << QByteArray("r=NONCEx,s=!!!,i=4096")
                                  << QStringLiteral("malformed SCRAM message (invalid salt)");
        QTest::addRow("no iterations")
            << QByteArray("r=NONCEx,s=c2FsdA==")
            << QStringLiteral("malformed SCRAM message (attribute \"i\" expected)");
        QTest::addRow("zero iterations")
            << QByteArray("r=NONCEx,s=c2FsdA==,i=0")
            << QStringLiteral("malformed SCRAM message (invalid iteration count)");
        QTest::addRow("negative") << QByteArray("r=NONCEx,s=c2FsdA==,i=-5")
                                  << QStringLiteral("malformed SCRAM message (invalid iteration count)");
        QTest::addRow("huge") << QByteArray("r=NONCEx,s=c2FsdA==,i=2147483647")
                              << QStringLiteral(
                                     "SCRAM iteration count 2147483647 is above the limit of 10000000");
        QTest::addRow("overflow") << QByteArray("r=NONCEx,s=c2FsdA==,i=99999999999")
                                  << QStringLiteral("malformed SCRAM message (invalid iteration count)");
    }
    void hostileServerFirst()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, expected);
        ScramClient c("secret", ScramClient::Binding::None, {}, "NONCE");
        const auto r = c.handleServerFirst(message);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().message, expected);
        QVERIFY(!r.error().toString().contains(u"secret"));
    }

    void serverNonceEqualToOursIsAccepted()
    {
        // As libpq: the server's nonce must start with ours; adding nothing is allowed.
        ScramClient c("secret", ScramClient::Binding::None, {}, "NONCE");
        QVERIFY(c.handleServerFirst("r=NONCE,s=c2FsdA==,i=4096").has_value());
    }

    void serverFinalChecks()
    {
        ScramClient early("pencil", ScramClient::Binding::None, {}, "N");
        QCOMPARE(
            early.handleServerFinal("v=abc").error().message,
            QStringLiteral("AuthenticationSASLFinal received from server, but SASL authentication was not "
                           "completed"));

        auto started = [] {
            auto c = std::make_unique<ScramClient>("pencil", ScramClient::Binding::None, QByteArray(),
                                                   QByteArray("rOprNGfwEbeRWgbNEkqO"), QByteArray("user"));
            const bool ok = c->handleServerFirst("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                                 "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
                                .has_value();
            return ok ? std::move(c) : nullptr;
        };
        auto wrong = started();
        QVERIFY(wrong);
        QCOMPARE(wrong->handleServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").error().message,
                 QStringLiteral("incorrect server signature"));
        QVERIFY(!wrong->finished());
        auto shortSig = started();
        QCOMPARE(shortSig->handleServerFinal("v=AAAA").error().message,
                 QStringLiteral("malformed SCRAM message (invalid server signature)"));
        auto serverError = started();
        QCOMPARE(serverError->handleServerFinal("e=invalid-proof").error().message,
                 QStringLiteral("error received from server in SCRAM exchange: invalid-proof"));
    }

    void saslPrep_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::addRow("ascii") << QByteArray("pencil") << QByteArray("pencil");
        QTest::addRow("ascii control kept raw") << QByteArray("a\tb") << QByteArray("a\tb");
        QTest::addRow("soft hyphen removed") << QByteArray("I\xC2\xADX") << QByteArray("IX");
        QTest::addRow("nbsp to space") << QByteArray("a\xC2\xA0z") << QByteArray("a z");
        QTest::addRow("NFKC roman numeral") << QByteArray("\xE2\x85\xA8") << QByteArray("IX");
        QTest::addRow("NFKC ligature") << QByteArray("\xEF\xAC\x81") << QByteArray("fi");
        QTest::addRow("invalid utf8 raw") << QByteArray("\xFF\xFE") << QByteArray("\xFF\xFE");
        QTest::addRow("prohibited raw") << QByteArray("a\xC2\x85") << QByteArray("a\xC2\x85");
    }
    void saslPrep()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(ScramClient::saslPrep(in), out);
    }
};

QTEST_GUILESS_MAIN(TestScramClient)
#include "tst_scramclient.moc"
