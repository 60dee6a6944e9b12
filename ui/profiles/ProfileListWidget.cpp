#include "ProfileListWidget.h"

#include "DeleteProfileCommand.h"
#include "ProfileFilterProxy.h"
#include "ProfileItemDelegate.h"
#include "ProfileListModel.h"
#include "ui_ProfileListWidget.h"

#include <QAction>
#include <QMenu>
#include <QPointer>
#include <QTimer>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {
constexpr int kUndoBarMs = 20000;
}

ProfileListWidget::ProfileListWidget(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ProfileListWidget>())
    , m_proxy(new ProfileFilterProxy(this))
    , m_undoStack(new QUndoStack(this))
    , m_undoBarTimer(new QTimer(this))
{
    m_ui->setupUi(this);
    m_ui->undoBar->hide();
    m_ui->profileView->setItemDelegate(new ProfileItemDelegate(this));
    m_ui->profileView->setModel(m_proxy);

    m_newAction = new QAction(tr("&New Profile"), this);
    m_newAction->setObjectName(u"actionNewProfile"_s);
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setToolTip(tr("New profile, starting at sslmode=verify-full"));
    m_duplicateAction = new QAction(tr("D&uplicate Profile"), this);
    m_duplicateAction->setObjectName(u"actionDuplicateProfile"_s);
    m_duplicateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_deleteAction = new QAction(tr("&Delete Profile"), this);
    m_deleteAction->setObjectName(u"actionDeleteProfile"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut); // Delete in a text field edits the text
    m_testAction = new QAction(tr("&Test Connection"), this);
    m_testAction->setObjectName(u"actionTestProfile"_s);
    m_testAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_filterAction = new QAction(tr("&Filter Profiles"), this);
    m_filterAction->setObjectName(u"actionFilterProfiles"_s);
    m_filterAction->setShortcut(QKeySequence::Find);
    addAction(m_newAction);
    addAction(m_duplicateAction);
    addAction(m_testAction);
    addAction(m_filterAction);
    m_ui->profileView->addAction(m_deleteAction);

    connect(m_newAction, &QAction::triggered, this, &ProfileListWidget::newProfile);
    connect(m_duplicateAction, &QAction::triggered, this, &ProfileListWidget::duplicateCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &ProfileListWidget::deleteCurrent);
    connect(m_testAction, &QAction::triggered, this, [this] {
        if (!m_current.isNull())
            Q_EMIT testRequested(m_current);
    });
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_ui->filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->filterEdit->selectAll();
    });
    connect(m_ui->newButton, &QPushButton::clicked, m_newAction, &QAction::trigger);
    connect(m_ui->duplicateButton, &QPushButton::clicked, m_duplicateAction, &QAction::trigger);
    connect(m_ui->deleteButton, &QPushButton::clicked, m_deleteAction, &QAction::trigger);

    connect(m_ui->filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        if (!m_ui->profileView->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_ui->profileView->setCurrentIndex(m_proxy->index(0, 0));
    });
    connect(m_ui->filterEdit, &QLineEdit::returnPressed, this,
            [this] { m_ui->profileView->setFocus(Qt::OtherFocusReason); });
    connect(m_ui->profileView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                const QUuid id = current.data(ProfileListModel::IdRole).toUuid();
                if (current.isValid())
                    m_ui->profileView->selectionModel()->select(current, QItemSelectionModel::ClearAndSelect);
                if (id == m_current)
                    return;
                m_current = id;
                updateActions();
                Q_EMIT currentProfileChanged(id);
            });
    connect(m_ui->profileView, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex at = m_ui->profileView->indexAt(pos);
        if (at.isValid())
            m_ui->profileView->setCurrentIndex(at);
        auto* menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(m_newAction);
        menu->addAction(m_duplicateAction);
        menu->addAction(m_testAction);
        menu->addSeparator();
        menu->addAction(m_deleteAction);
        menu->popup(m_ui->profileView->viewport()->mapToGlobal(pos));
    });

    m_undoBarTimer->setSingleShot(true);
    m_undoBarTimer->setInterval(kUndoBarMs);
    connect(m_undoBarTimer, &QTimer::timeout, m_ui->undoBar, &QWidget::hide);
    connect(m_ui->undoButton, &QPushButton::clicked, m_undoStack, &QUndoStack::undo);
    connect(m_ui->dismissUndoButton, &QToolButton::clicked, m_ui->undoBar, &QWidget::hide);
    connect(m_undoStack, &QUndoStack::indexChanged, this, [this](int index) {
        // After an undo the command at `index` is the one just undone.
        if (index < m_undoStack->count()) {
            if (const auto* cmd = dynamic_cast<const DeleteProfileCommand*>(m_undoStack->command(index)))
                selectProfile(cmd->profile().id);
            m_ui->undoBar->hide();
        }
    });
    updateActions();
}

ProfileListWidget::~ProfileListWidget()
{
    // Children destroyed with the widget (a line edit losing focus, the undo stack clearing) must not
    // call back into a half-destroyed object.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(this);
}

void ProfileListWidget::setModel(ProfileListModel* model)
{
    m_model = model;
    m_proxy->setSourceModel(model);
    m_proxy->sort(0);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_current.isNull() && m_model->rowOf(m_current) < 0) {
            m_current = {};
            updateActions();
            Q_EMIT currentProfileChanged({});
        }
    });
    updateActions();
}

QUuid ProfileListWidget::currentProfileId() const
{
    return m_current;
}

void ProfileListWidget::selectProfile(const QUuid& id)
{
    if (!m_model)
        return;
    QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->indexOf(id));
    if (!proxyIndex.isValid() && m_model->rowOf(id) >= 0) {
        m_ui->filterEdit->clear(); // the filter hid it
        proxyIndex = m_proxy->mapFromSource(m_model->indexOf(id));
    }
    if (proxyIndex.isValid()) {
        m_ui->profileView->setCurrentIndex(proxyIndex);
        m_ui->profileView->scrollTo(proxyIndex);
    }
}

void ProfileListWidget::newProfile()
{
    if (!m_model)
        return;
    const Profile p = Profile::createNew(m_model->uniqueName(tr("New profile")));
    m_model->insertProfile(m_model->rowCount(), p);
    selectProfile(p.id);
    Q_EMIT profileCreated(p.id);
}

void ProfileListWidget::duplicateCurrent()
{
    if (!m_model)
        return;
    const Profile* source = m_model->find(m_current);
    if (!source)
        return;
    const Profile p = source->duplicated(m_model->uniqueName(tr("%1 (copy)").arg(source->name)));
    const QUuid sourceId = source->id;
    m_model->insertProfile(m_model->rowOf(sourceId) + 1, p);
    selectProfile(p.id);
    Q_EMIT profileDuplicated(sourceId, p.id);
    Q_EMIT profileCreated(p.id);
}

void ProfileListWidget::deleteCurrent()
{
    if (!m_model || m_current.isNull())
        return;
    const int proxyRow = m_ui->profileView->currentIndex().row();
    auto* command = new DeleteProfileCommand(
        m_model, m_current, [self = QPointer<ProfileListWidget>(this)](const Profile& p, bool deleted) {
            if (!self)
                return;
            if (deleted)
                Q_EMIT self->profileDeleted(p);
            else
                Q_EMIT self->profileRestored(p);
        });
    const QString name = command->profile().name;
    m_undoStack->push(command);
    if (m_proxy->rowCount() > 0)
        m_ui->profileView->setCurrentIndex(m_proxy->index(std::min(proxyRow, m_proxy->rowCount() - 1), 0));
    showUndoBar(tr("Deleted \u201c%1\u201d.").arg(name));
}

void ProfileListWidget::showUndoBar(const QString& text)
{
    m_ui->undoLabel->setText(text);
    m_ui->undoBar->show();
    m_ui->undoBar->setAccessibleDescription(text);
    m_undoBarTimer->start();
}

void ProfileListWidget::updateActions()
{
    const bool has = !m_current.isNull();
    m_duplicateAction->setEnabled(has);
    m_deleteAction->setEnabled(has);
    m_testAction->setEnabled(has);
    m_ui->duplicateButton->setEnabled(has);
    m_ui->deleteButton->setEnabled(has);
}

} // namespace vf::ui
