#include "CertificateDetailsTree.h"

#include "CertificateRow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

QString hexColons(const QByteArray& bytes)
{
    return pki::Certificate::formatFingerprint(bytes);
}

QString dateTimeText(const QDateTime& utc)
{
    return QLocale().toString(utc, u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

// RFC 2253 DN split into its attributes at unescaped commas, escapes kept.
QStringList dnParts(const QString& dn)
{
    QStringList parts;
    QString part;
    for (qsizetype i = 0; i < dn.size(); ++i) {
        const QChar c = dn.at(i);
        if (c == u'\\' && i + 1 < dn.size()) {
            part += c;
            part += dn.at(++i);
        } else if (c == u',') {
            parts << part;
            part.clear();
        } else {
            part += c;
        }
    }
    if (!part.isEmpty())
        parts << part;
    return parts;
}

QString sanTypeName(pki::SubjectAltName::Type type)
{
    switch (type) {
    case pki::SubjectAltName::Type::Dns:
        return u"DNS"_s;
    case pki::SubjectAltName::Type::IpAddress:
        return u"IP"_s;
    case pki::SubjectAltName::Type::Email:
        return CertificateDetailsTree::tr("Email");
    case pki::SubjectAltName::Type::Uri:
        return u"URI"_s;
    case pki::SubjectAltName::Type::Other:
        break;
    }
    return CertificateDetailsTree::tr("Other");
}

} // namespace

CertificateDetailsTree::CertificateDetailsTree(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Field"), tr("Value")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setWordWrap(false);
    setTextElideMode(Qt::ElideMiddle);
    auto* copy = new QAction(tr("&Copy Value"), this);
    copy->setObjectName(u"copyFieldAction"_s);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &CertificateDetailsTree::copyCurrentValue);
    addAction(copy);
}

CertificateDetailsTree::~CertificateDetailsTree() = default;

QTreeWidgetItem* CertificateDetailsTree::addField(const QString& field, const QString& value,
                                                  QTreeWidgetItem* parent)
{
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(0, field);
    item->setText(1, value);
    item->setToolTip(1, value);
    return item;
}

void CertificateDetailsTree::clearDetails()
{
    clear();
}

void CertificateDetailsTree::showRow(const CertificateRow& row)
{
    setUpdatesEnabled(false);
    clear();
    const pki::Certificate& c = row.certificate;

    QTreeWidgetItem* status = addField(tr("Status"), row.assessment.label);
    status->setForeground(1, CertificateAssessment::accentColor(row.assessment.status, palette()));
    for (const QString& reason : row.assessment.reasons)
        addField({}, reason, status)->setToolTip(1, reason);
    if (!row.problems.isEmpty()) {
        QTreeWidgetItem* problems = addField(tr("Verification errors"), QString::number(row.problems.size()));
        for (const pki::VerifyProblem& p : row.problems)
            addField(tr("depth %1").arg(p.depth), p.reason, problems);
    }

    QTreeWidgetItem* subject = addField(tr("Subject"), c.subjectDn());
    for (const QString& part : dnParts(c.subjectDn()))
        addField(part.section(u'=', 0, 0), part.section(u'=', 1), subject);
    QTreeWidgetItem* issuer = addField(tr("Issuer"), c.issuerDn());
    for (const QString& part : dnParts(c.issuerDn()))
        addField(part.section(u'=', 0, 0), part.section(u'=', 1), issuer);
    addField(tr("Serial number"), c.serialNumberHex());
    addField(tr("Version"), QString::number(c.version()));

    QTreeWidgetItem* validity =
        addField(tr("Validity"), tr("%1 to %2")
                                     .arg(QLocale().toString(c.notBefore().date(), QLocale::ShortFormat),
                                          QLocale().toString(c.notAfter().date(), QLocale::ShortFormat)));
    addField(tr("Not before"), dateTimeText(c.notBefore()), validity);
    addField(tr("Not after"), dateTimeText(c.notAfter()), validity);
    addField(tr("Expires"),
             CertificateAssessment::relativeDays(QDateTime::currentDateTimeUtc().secsTo(c.notAfter())),
             validity);

    const QList<pki::SubjectAltName> sans = c.subjectAltNames();
    QTreeWidgetItem* sanItem =
        addField(tr("Subject alternative names"), sans.isEmpty() ? tr("none") : QString::number(sans.size()));
    for (const pki::SubjectAltName& san : sans)
        addField(sanTypeName(san.type), san.value, sanItem);

    QString key = c.publicKeyType();
    if (c.publicKeyBits() > 0)
        key += tr(", %1 bits").arg(c.publicKeyBits());
    if (!c.publicKeyCurve().isEmpty())
        key += u" ("_s + c.publicKeyCurve() + u")"_s;
    addField(tr("Public key"), key);
    addField(tr("Signature algorithm"), c.signatureAlgorithm());
    QString constraints;
    if (!c.hasBasicConstraints())
        constraints = tr("none (not a CA)");
    else if (!c.isCa())
        constraints = tr("not a CA");
    else if (c.pathLengthConstraint() >= 0)
        constraints = tr("CA, path length %1").arg(c.pathLengthConstraint());
    else
        constraints = tr("CA");
    addField(tr("Basic constraints"), constraints);
    QTreeWidgetItem* ku =
        addField(tr("Key usage"), c.keyUsage().isEmpty() ? tr("not restricted") : c.keyUsage().join(u", "_s));
    for (const QString& u : c.keyUsage())
        addField({}, u, ku);
    QTreeWidgetItem* eku =
        addField(tr("Extended key usage"),
                 c.extendedKeyUsage().isEmpty() ? tr("not restricted") : c.extendedKeyUsage().join(u", "_s));
    for (const QString& u : c.extendedKeyUsage())
        addField({}, u, eku);
    if (!c.subjectKeyIdentifier().isEmpty())
        addField(tr("Subject key identifier"), hexColons(c.subjectKeyIdentifier()));
    if (!c.authorityKeyIdentifier().isEmpty())
        addField(tr("Authority key identifier"), hexColons(c.authorityKeyIdentifier()));
    QTreeWidgetItem* fingerprints = addField(tr("Fingerprints"), {});
    addField(u"SHA-256"_s, hexColons(c.sha256Fingerprint()), fingerprints);
    addField(u"SHA-1"_s, hexColons(c.sha1Fingerprint()), fingerprints);

    expandItem(status);
    expandItem(validity);
    expandItem(sanItem);
    expandItem(fingerprints);
    setCurrentItem(status);
    setUpdatesEnabled(true);
}

QString CertificateDetailsTree::currentValue() const
{
    const QTreeWidgetItem* item = currentItem();
    if (!item)
        return {};
    if (!item->text(1).isEmpty() || item->childCount() == 0)
        return item->text(1);
    QStringList lines;
    for (int i = 0; i < item->childCount(); ++i) {
        const QTreeWidgetItem* child = item->child(i);
        lines << (child->text(0).isEmpty() ? child->text(1) : child->text(0) + u": "_s + child->text(1));
    }
    return lines.join(u'\n');
}

void CertificateDetailsTree::copyCurrentValue() const
{
    const QString value = currentValue();
    if (!value.isEmpty())
        QApplication::clipboard()->setText(value);
}

QTreeWidgetItem* CertificateDetailsTree::findField(const QString& field) const
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        if (topLevelItem(i)->text(0) == field)
            return topLevelItem(i);
    }
    return nullptr;
}

} // namespace vf::ui
