#include "wire/BackendMessageReader.h"
#include "wire/FrontendMessage.h"

#include <QCryptographicHash>
#include <QTest>

using namespace vf::wire;

class TestWireMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void frontendBytes_data()
    {
        QTest::addColumn<QByteArray>("actual");
        QTest::addColumn<QByteArray>("expectedHex");
        QTest::addRow("SSLRequest") << FrontendMessage::sslRequest() << QByteArray("0000000804d2162f");
        QTest::addRow("GSSENCRequest") << FrontendMessage::gssEncRequest() << QByteArray("0000000804d21630");
        // Seen on the wire from psql (spec 3.1).
        QTest::addRow("startup")
            << FrontendMessage::startup({{"user", "u"}, {"database", "d"}, {"application_name", "psql"}})
            << QByteArray("0000003100030000") +
                   QByteArray("user\0u\0database\0d\0application_name\0psql\0\0", 41).toHex();
        QTest::addRow("terminate") << FrontendMessage::terminate() << QByteArray("5800000004");
        QTest::addRow("query") << FrontendMessage::query("select 1")
                               << QByteArray("510000000d") + QByteArray("select 1").toHex() + "00";
        QTest::addRow("password") << FrontendMessage::password("pw")
                                  << QByteArray("7000000007") + QByteArray("pw").toHex() + "00";
        QTest::addRow("sasl initial") << FrontendMessage::saslInitialResponse("SCRAM-SHA-256", "abc")
                                      << QByteArray("7000000019") + QByteArray("SCRAM-SHA-256").toHex() +
                                             "00" + "00000003" + QByteArray("abc").toHex();
    }
    void frontendBytes()
    {
        QFETCH(QByteArray, actual);
        QFETCH(QByteArray, expectedHex);
        QCOMPARE(actual.toHex(), expectedHex);
    }

    void md5MatchesServerFormula()
    {
        // PostgreSQL stores "md5" || md5(password || user); the client then hashes that with the salt.
        QCOMPARE(FrontendMessage::md5Password("secret", "alice", QByteArray("\x01\x02\x03\x04", 4)),
                 QByteArray("md5") +
                     QCryptographicHash::hash(
                         QByteArray(QCryptographicHash::hash("secretalice", QCryptographicHash::Md5).toHex() +
                                    QByteArray("\x01\x02\x03\x04", 4)),
                         QCryptographicHash::Md5)
                         .toHex());
    }

    void readerSplitsAndWaits()
    {
        BackendMessageReader r;
        const QByteArray stream = QByteArray("R\0\0\0\x08\0\0\0\0", 9) + QByteArray("Z\0\0\0\x05I", 6);
        for (const char c : stream) {
            // One byte at a time: a message appears only when complete.
            r.feed(QByteArrayView(&c, 1));
        }
        auto m1 = r.next();
        QVERIFY(m1 && m1->has_value());
        QCOMPARE((*m1)->type, 'R');
        QCOMPARE((*m1)->payload, QByteArray(4, '\0'));
        auto m2 = r.next();
        QVERIFY(m2 && m2->has_value());
        QCOMPARE((*m2)->type, 'Z');
        QCOMPARE((*m2)->payload, QByteArray("I"));
        auto m3 = r.next();
        QVERIFY(m3 && !m3->has_value());
        r.feed(QByteArray("E\0\0", 3));
        auto partial = r.next();
        QVERIFY(partial && !partial->has_value());
    }

    void readerRejectsBadLengths_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("negative") << QByteArray("R\xff\xff\xff\xf0", 5);
        QTest::addRow("below four") << QByteArray("Z\0\0\0\x03", 5);
        QTest::addRow("huge auth") << QByteArray("R\x7f\xff\xff\xff", 5);
        QTest::addRow("error over 30000") << QByteArray("E\0\0\x75\x31", 5);
        QTest::addRow("binary type") << QByteArray("\x01\x10\0\0\0", 5);
    }
    void readerRejectsBadLengths()
    {
        QFETCH(QByteArray, bytes);
        BackendMessageReader r;
        r.feed(bytes);
        const auto m = r.next();
        QVERIFY(!m.has_value());
        QCOMPARE(m.error().code, QStringLiteral("wire.invalid-length"));
        QVERIFY(m.error().message.startsWith(u"invalid message length"));
    }

    void noticeFields()
    {
        const QByteArray payload("SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry\0Hcheck it\0\0", 52);
        const ServerNotice n = parseNotice(payload);
        QCOMPARE(n.severityV, QStringLiteral("FATAL"));
        QCOMPARE(n.sqlState, QStringLiteral("28000"));
        QCOMPARE(n.message, QStringLiteral("no pg_hba.conf entry"));
        QCOMPARE(n.hint, QStringLiteral("check it"));
        // Truncated / unterminated payloads are read without running off the end.
        const ServerNotice t = parseNotice(QByteArray("Mabc", 4));
        QCOMPARE(t.message, QStringLiteral("abc"));
    }
};

QTEST_GUILESS_MAIN(TestWireMessages)
#include "tst_wiremessages.moc"
