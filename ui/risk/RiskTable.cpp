#include "RiskTable.h"

#include "SslModeRiskModel.h"
#include "ui_RiskTable.h"
#include "widgets/StatusLevel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

StatusLevel levelOf(security::Severity s)
{
    switch (s) {
    case security::Severity::Safe:
        return StatusLevel::Ok;
    case security::Severity::Weak:
        return StatusLevel::Warning;
    case security::Severity::Unsafe:
    case security::Severity::WillFail:
        break;
    }
    return StatusLevel::Error;
}

StatusLevel levelOf(security::Protection p)
{
    switch (p) {
    case security::Protection::Yes:
        return StatusLevel::Ok;
    case security::Protection::Maybe:
        return StatusLevel::Warning;
    case security::Protection::No:
        break;
    }
    return StatusLevel::Error;
}

QString bullets(const QList<security::Reason>& reasons)
{
    if (reasons.isEmpty())
        return {};
    QString html = u"<ul style=\"margin-left:0; -qt-list-indent:1\">"_s;
    for (const security::Reason& r : reasons)
        html += u"<li>"_s + r.text.toHtmlEscaped() + u"</li>"_s;
    return html + u"</ul>"_s;
}

} // namespace

RiskTable::RiskTable(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::RiskTable>())
    , m_model(new SslModeRiskModel(this))
{
    m_ui->setupUi(this);
    m_model->setPalette(palette());
    m_ui->modeTable->setModel(m_model);
    QHeaderView* header = m_ui->modeTable->horizontalHeader();
    header->setSectionResizeMode(SslModeRiskModel::ModeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(SslModeRiskModel::EavesdroppingColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(SslModeRiskModel::MitmColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(SslModeRiskModel::StatementColumn, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_ui->modeTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->modeTable->setStyleSheet(u"QTableView::item { padding: 4px 6px; }"_s);
    m_ui->modeTable->viewport()->installEventFilter(this);
    connect(header, &QHeaderView::sectionResized, this, [this] { fitTableHeight(); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { fitTableHeight(); });
    clear();
}

RiskTable::~RiskTable()
{
    // Children destroyed with the widget (a line edit losing focus, the undo stack clearing) must not
    // call back into a half-destroyed object.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(this);
}

void RiskTable::clear()
{
    m_assessment.reset();
    m_model->setModes(std::nullopt, std::nullopt);
    m_ui->profileBox->hide();
    fitTableHeight();
}

void RiskTable::setAssessment(const security::SslModeAssessment& assessment)
{
    m_assessment = assessment;
    const auto& effective = assessment.effective();
    m_model->setModes(effective ? std::optional(effective->sslmode) : std::nullopt,
                      effective ? std::optional(effective->behavesAs) : std::nullopt);
    if (effective)
        m_ui->modeTable->setCurrentIndex(m_model->index(SslModeRiskModel::rowOf(effective->behavesAs), 0));

    const QPalette pal = palette();
    const StatusLevel level = levelOf(assessment.severity());
    m_ui->verdictLabel->setText(statusSymbol(level) + u' ' + verdictText());
    m_ui->verdictLabel->setStyleSheet(u"font-weight: bold; color: %1"_s.arg(statusColor(level, pal).name()));

    if (const auto& failure = assessment.failure()) {
        m_ui->failureLabel->setText(tr("libpq refuses to connect: <tt>%1</tt><br>%2")
                                        .arg(failure->message.toHtmlEscaped().replace(u'\n', u"<br>"_s),
                                             failure->explanation.toHtmlEscaped()));
        m_ui->failureLabel->show();
    } else {
        m_ui->failureLabel->hide();
    }

    m_ui->reasonsLabel->setText(bullets(assessment.reasons()));
    m_ui->reasonsLabel->setVisible(!assessment.reasons().isEmpty());

    QString threats;
    for (const security::ThreatVerdict& v : assessment.threats()) {
        threats += u"<div><span style=\"color:%1\">%2 %3: %4</span> \u2014 %5</div>"_s.arg(
            statusColor(levelOf(v.protection), pal).name(), statusSymbol(levelOf(v.protection)),
            security::threatLabel(v.threat).toHtmlEscaped(), security::protectionLabel(v.protection),
            v.reason.text.toHtmlEscaped());
    }
    m_ui->threatsLabel->setText(threats);
    m_ui->threatsLabel->setVisible(!threats.isEmpty());

    m_ui->notesLabel->setText(assessment.notes().isEmpty()
                                  ? QString()
                                  : u"<b>"_s + tr("Good to know") + u"</b>"_s + bullets(assessment.notes()));
    m_ui->notesLabel->setVisible(!assessment.notes().isEmpty());
    rebuildSteps();
    m_ui->profileBox->show();
    QTimer::singleShot(0, this, [this] { fitTableHeight(); });
}

QString RiskTable::verdictText() const
{
    if (!m_assessment)
        return {};
    return m_assessment->summary();
}

void RiskTable::rebuildSteps()
{
    QLayout* layout = m_ui->stepsContainer->layout();
    while (QLayoutItem* item = layout->takeAt(0)) {
        if (QWidget* w = item->widget())
            w->deleteLater();
        delete item;
    }
    const QList<security::NextStep> steps =
        m_assessment ? m_assessment->nextSteps() : QList<security::NextStep>{};
    m_ui->stepsHeading->setVisible(!steps.isEmpty());
    m_ui->stepsContainer->setVisible(!steps.isEmpty());
    QWidget* previous = m_ui->modeTable;
    for (const security::NextStep& step : steps) {
        auto* row = new QWidget(m_ui->stepsContainer);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        auto* text = new QLabel(step.text, row);
        text->setWordWrap(true);
        text->setObjectName(u"stepText_"_s + step.code);
        h->addWidget(text, 1);
        QPushButton* button = nullptr;
        if (step.oneClick && !step.keyword.isEmpty()) {
            button = new QPushButton(tr("Apply"), row);
            button->setToolTip(tr("Set %1=%2 in this profile").arg(step.keyword, step.value));
            connect(button, &QPushButton::clicked, this, [this, keyword = step.keyword, value = step.value] {
                Q_EMIT applyRequested(keyword, value);
            });
        } else if (!step.keyword.isEmpty()) {
            button = new QPushButton(tr("Show setting"), row);
            button->setToolTip(tr("Go to %1 in the editor").arg(step.keyword));
            connect(button, &QPushButton::clicked, this,
                    [this, keyword = step.keyword] { Q_EMIT showSettingRequested(keyword); });
        }
        if (button) {
            button->setObjectName(u"stepButton_"_s + step.code);
            button->setAccessibleName(button->text() + u": "_s + step.text);
            h->addWidget(button, 0, Qt::AlignTop);
            setTabOrder(previous, button);
            previous = button;
        }
        layout->addWidget(row);
    }
}

void RiskTable::fitTableHeight()
{
    QTableView* table = m_ui->modeTable;
    table->resizeRowsToContents();
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int r = 0; r < m_model->rowCount(); ++r)
        height += table->rowHeight(r);
    if (table->height() != height)
        table->setFixedHeight(height);
}

bool RiskTable::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->modeTable->viewport() && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, [this] { fitTableHeight(); });
    return QWidget::eventFilter(watched, event);
}

void RiskTable::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_model->setPalette(palette());
        if (m_assessment)
            setAssessment(*m_assessment);
    }
}

} // namespace vf::ui
