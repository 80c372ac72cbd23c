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
        (e2e-check-fixed #'e2e-lsp-diagnostics))))
  (e2e-finish))

;;; lsp-mode-test.el ends here
