;;; lsp-mode-test.el --- End-to-end test of trove-spec-lsp.el with lsp-mode  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh as: emacs --batch -L editors/emacs -L editors/emacs/test -l lsp-mode-test.el
;; Debian's emacs-nox and elpa-lsp-mode, the project's own trove-spec-lsp.el (its
;; `lsp-register-client'), the real server binary, a spec from the corpus; the
;; diagnostics as lsp-mode stores them for every UI.
;; Prints "ok - NAME" / "not ok - NAME" per check and exits non-zero on any failure.

;;; Code:

(require 'e2e-helpers)
(require 'lsp-mode)   ; from Debian's elpa-lsp-mode: on the load path by site start-up
(require 'lsp-completion)
(require 'trove-spec-lsp)

(setq e2e-suite "lsp-mode"
      e2e-stderr-function (lambda () (e2e-buffers-tail "\\` ?\\*trove-spec-lsp::stderr\\*")))

;; A user with no other reStructuredText server, answering no prompts.
(setq lsp-enabled-clients '(trove-spec-lsp)
      lsp-auto-guess-root t
      lsp-restart 'ignore
      lsp-diagnostics-provider :none
      lsp-enable-snippet nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil
      lsp-modeline-workspace-status-enable nil
      lsp-session-file (expand-file-name "lsp-session" (e2e-env "ROOT")))

(defun e2e-lsp-point (position)
  "The buffer position of the LSP POSITION, its character read as UTF-16 code units,
as the server sends them to a client that offers no other encoding.  lsp-mode 8.0
itself (`lsp--position-to-point') reads them as characters, one column late for
each character beyond the BMP before it: a known limitation of that version."
  (save-excursion
    (goto-char (point-min))
    (forward-line (lsp:position-line position))
    (let ((units (lsp:position-character position)))
      (while (and (> units 0) (not (eolp)))
        (setq units (- units (if (> (following-char) #xFFFF) 2 1)))
        (forward-char))
      (point))))

(defun e2e-lsp-diagnostics (code)
  "lsp-mode's diagnostics from trove-spec-lsp (see `e2e-diagnostic'), CODE only."
  (let (found)
    (dolist (d (lsp--get-buffer-diagnostics))
      (let ((this (lsp:diagnostic-code? d)))
        (when (and (equal (lsp:diagnostic-source? d) "trove-spec-lsp")
                   (or (null code) (equal code this)))
          (push (e2e-diagnostic (e2e-lsp-point (lsp:range-start (lsp:diagnostic-range d)))
                                this
                                (pcase (lsp:diagnostic-severity? d) (1 'error) (2 'warning) (_ 'info))
                                (lsp:diagnostic-message d))
                found))))
    (sort found (lambda (a b) (< (car a) (car b))))))

(defun e2e-lsp-execute-action (title)
  "Execute the code action titled TITLE that lsp-mode gets at point."
  (let* ((actions (append (lsp-code-actions-at-point) nil))
         (action (cl-find title actions :key #'lsp:code-action-title :test #'equal)))
    (unless action
      (error "No action %S among %S" title (mapcar #'lsp:code-action-title actions)))
    (lsp-execute-code-action action)))

(defun e2e-expect-buffer (what regexp)
  "The buffer's text after WHAT must match REGEXP."
  (unless (string-match-p regexp (buffer-string))
    (error "After %s the buffer holds:\n%s" what (buffer-string))))

(defun e2e-lsp-ready ()
  (let ((workspace (car (lsp-workspaces))))
    (and workspace (eq (lsp--workspace-status workspace) 'initialized))))

(let (ready)
  (e2e-open-spec)

  (e2e-check "lsp-mode starts trove-spec-lsp from this file's registration"
    (unless (gethash 'trove-spec-lsp lsp-clients) (error "No trove-spec-lsp client registered"))
    (e2e-with-stderr (lsp)
                     (e2e-wait-for "the server to initialize" #'e2e-lsp-ready))
    (let ((workspace (car (lsp-workspaces))))
      (unless (eq (lsp--client-server-id (lsp--workspace-client workspace)) 'trove-spec-lsp)
        (error "Started %S" (lsp--client-server-id (lsp--workspace-client workspace))))
      (unless (equal (file-name-as-directory (file-truename (lsp--workspace-root workspace)))
                     (e2e-root))
        (error "Workspace root %s, not %s" (lsp--workspace-root workspace) (e2e-root))))
    (setq ready t))

  (when ready
    (e2e-check-diagnostics #'e2e-lsp-diagnostics)

    (e2e-check "hover on a heading: the template guidance"
      (e2e-goto-line-text "Problem Description")
      (forward-char 3)
      (e2e-check-hover-contents
       (lsp:hover-contents (lsp-request "textDocument/hover"
                                        (lsp--text-document-position-params)))))

    (e2e-check-completion "lsp-mode" #'lsp-completion-at-point)
    ;; lsp-mode 8.0 applies an item's edit through company-mode (its documented UI);
    ;; plain `completion-at-point' inserts the label, which for lsp-mode (clientInfo
    ;; "emacs") is the heading as inserted (editors/README.md)
    (e2e-check-completion-inserts "lsp-mode and company" #'lsp-completion-at-point
                                  #'e2e-complete-as-company #'ignore #'e2e-lsp-diagnostics)
    (e2e-check-completion-inserts "lsp-mode, plain completion-at-point"
                                  #'lsp-completion-at-point
                                  #'e2e-complete-at-point #'ignore #'e2e-lsp-diagnostics)
    (e2e-check-underline-inserts "lsp-mode and company" #'lsp-completion-at-point
                                 #'e2e-complete-as-company #'ignore #'e2e-lsp-diagnostics)
    (e2e-check-underline-inserts "lsp-mode, plain completion-at-point"
                                 #'lsp-completion-at-point #'e2e-complete-at-point #'ignore
                                 #'e2e-lsp-diagnostics)

    (e2e-check-completion-restyles-title "lsp-mode and company" #'lsp-completion-at-point
                                         #'e2e-complete-as-company #'ignore
                                         #'e2e-lsp-diagnostics)

    (e2e-check "code action: insert the missing section; the finding goes away"
      (goto-char (point-min))
      (forward-line (1- (car (car (e2e-lsp-diagnostics "missing-section")))))
      (let* ((actions (append (lsp-code-actions-at-point) nil))
             (fix (cl-find-if (lambda (a) (and (equal (lsp:code-action-kind? a) "quickfix")
                                               (string-match-p "Dependencies"
                                                               (lsp:code-action-title a))))
                              actions)))
        (unless fix
          (error "No quick fix for Dependencies among %S"
                 (mapcar #'lsp:code-action-title actions)))
        (lsp-execute-code-action fix)
        (e2e-check-fixed #'e2e-lsp-diagnostics)))

    (e2e-check "lsp-mode, plain completion-at-point: a new spec's title, its style's quick fix, its sections"
      (find-file (expand-file-name "specs/title-walk.rst" (e2e-root)))
      (e2e-with-stderr (lsp)
                       (e2e-wait-for "the new spec in the workspace" #'e2e-lsp-ready))
      ;; the title's completion: plain completion-at-point appends the underline only
      (insert "Faster Backups\n==")
      (e2e-complete-at-point #'lsp-completion-at-point)
      (e2e-expect-buffer "the title's completion" "\\`Faster Backups\n==============\\'")
      (e2e-wait-for "the title-style warning" (lambda () (e2e-lsp-diagnostics "title-style")))
      (let ((found (e2e-lsp-diagnostics nil)))
        (unless (equal (mapcar #'cadr (cl-remove "missing-section" found :key #'cadr :test #'equal))
                       '("title-style"))
          (error "One finding besides the missing sections: %s" (e2e-summary found))))
      (goto-char (point-min))
      (e2e-lsp-execute-action "Give 'Faster Backups' the '=' overline and underline")
      (e2e-expect-buffer "the quick fix" "\\`==============\nFaster Backups\n==============\\'")
      (e2e-wait-for "the title-style warning to go"
                    (lambda () (null (e2e-lsp-diagnostics "title-style"))))
      ;; a section's completion, then all the others: the template's adornments
      (goto-char (point-max))
      (insert "\n\nProbl")
      (e2e-complete-at-point #'lsp-completion-at-point)
      (e2e-expect-buffer "the section's completion"
                         "\nFaster Backups\n==============\n\nProblem Description\n===================\n\n\\'")
      (e2e-lsp-execute-action "Add all missing sections")
      (e2e-expect-buffer "Add all missing sections"
                         "\nProblem Description\n===================\n\nProposed Change\n===============\n\nConfiguration\n-------------\n\nNone\n")
      (when (string-match-p "~~~" (buffer-string))
        (error "A heading underlined with ~:\n%s" (buffer-string)))
      (e2e-wait-for "no finding but the empty section"
                    (lambda ()
                      (equal (mapcar #'cadr (e2e-lsp-diagnostics nil)) '("empty-section"))))
      (set-buffer-modified-p nil)
      (kill-buffer)))
  (e2e-finish))

;;; lsp-mode-test.el ends here
