#pragma once

#include "Profile.h"

#include <QUuid>
#include <QWidget>

#include <memory>

class QAction;
class QTimer;
class QUndoStack;

namespace Ui {
class ProfileListWidget;
}

namespace vf::ui {

class ProfileFilterProxy;
class ProfileListModel;

// The list of saved profiles: filter as you type, a badge with the last test result, and the
// actions new, duplicate, delete (undoable, with an undo bar) and test, from the keyboard, the
// buttons and the context menu.
class ProfileListWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListWidget)

public:
    explicit ProfileListWidget(QWidget* parent = nullptr);
    ~ProfileListWidget() override;

    // The model shown (not owned); set once.
    void setModel(ProfileListModel* model);
    ProfileListModel* model() const { return m_model; }
    ProfileFilterProxy* proxy() const { return m_proxy; }
    QUndoStack* undoStack() const { return m_undoStack; }

    QUuid currentProfileId() const;
    void selectProfile(const QUuid& id);

    QAction* newAction() const { return m_newAction; }
    QAction* duplicateAction() const { return m_duplicateAction; }
    QAction* deleteAction() const { return m_deleteAction; }
    QAction* testAction() const { return m_testAction; }
    QAction* filterAction() const { return m_filterAction; }

    void newProfile();
    void duplicateCurrent();
    void deleteCurrent();

Q_SIGNALS:
    // The selection changed (null id: nothing selected).
    void currentProfileChanged(const QUuid& id);
    void profileCreated(const QUuid& id);
    // Duplicate: `copy` was made from `source` (profileCreated() follows).
    void profileDuplicated(const QUuid& source, const QUuid& copy);
    // Delete (and its redo) took the profile out of the list; undo put it back.
    void profileDeleted(const vf::ui::Profile& profile);
    void profileRestored(const vf::ui::Profile& profile);
    void testRequested(const QUuid& id);

private:
    void updateActions();
    void showUndoBar(const QString& text);

    std::unique_ptr<Ui::ProfileListWidget> m_ui;
    ProfileListModel* m_model = nullptr;
    ProfileFilterProxy* m_proxy = nullptr;
    QUndoStack* m_undoStack = nullptr;
    QTimer* m_undoBarTimer = nullptr;
    QAction* m_newAction = nullptr;
    QAction* m_duplicateAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_testAction = nullptr;
    QAction* m_filterAction = nullptr;
    QUuid m_current;
};

} // namespace vf::ui
