"""Contract editor: every part of the contract model as forms, one section widget per page
(general, severity matrix, calendars, scope & security, backup & recovery, escalation &
obligations, reporting, credits & uptime, clause text) composed by :class:`ContractEditorView`.

The form is the source of truth while the user types: each committed edit collects
the whole form into plain data, validates it with ``contract_from_data`` and, when
valid, pushes one :class:`~ui.state.EditDraft` (undoable) onto the window's undo
stack.  Invalid input never reaches the model: the error is shown at the field (a red
frame, or only the cell of a table, turns red) with the error in words on a line beside
it ("P1 response target: …", ``workbench.app.field_errors``), in the section list (⚠)
and in the error line under the form.

A stored version (signed, proposal, or a draft saved as a version) is never edited in
place: the first edit makes a new working draft whose parent is that version
(:class:`~ui.state.AddVersion`, one undo step with the edit).  Working drafts are
autosaved by the main window; "Save as new version" stores the draft as an immutable
contract version through the database worker and removes the working draft.
"""

from ui.views.editor.view import ContractEditorView

__all__ = ["ContractEditorView"]
