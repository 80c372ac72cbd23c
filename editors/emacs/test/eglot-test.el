;;; eglot-test.el --- End-to-end test of trove-spec-lsp.el with eglot  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh as: emacs --batch -L editors/emacs -L editors/emacs/test -l eglot-test.el
;; Debian's emacs-nox and elpa-eglot, the project's own trove-spec-lsp.el, the real
;; server binary, a spec from the corpus; the diagnostics as flymake shows them.
;; Prints "ok - NAME" / "not ok - NAME" per check and exits non-zero on any failure.

;;; Code:

(require 'e2e-helpers)
(require 'eglot)   ; from Debian's elpa-eglot: on the load path by site start-up
(require 'trove-spec-lsp)

(setq e2e-suite "eglot"
      e2e-stderr-function (lambda () (e2e-buffers-tail "\\` ?\\*EGLOT.*stderr\\*\\'")))

(defvar e2e-server nil)

(defun e2e-flymake-diagnostics (code)
  "Flymake's diagnostics from trove-spec-lsp (see `e2e-diagnostic'), CODE only."
  (let (found)
    (dolist (d (flymake-diagnostics))
      (let ((text (flymake-diagnostic-text d)))
        ;; eglot writes them as "SOURCE [CODE]: MESSAGE"
        (when (string-match "\\`trove-spec-lsp \\[\\([a-z-]+\\)\\]: " text)
          (let ((this (match-string 1 text)))
            (when (or (null code) (equal code this))
              (push (e2e-diagnostic (flymake-diagnostic-beg d)
                                    this
                                    (pcase (flymake-diagnostic-type d)
                                      ('eglot-error 'error) ('eglot-warning 'warning) (_ 'info))
                                    text)
                    found))))))
    (sort found (lambda (a b) (< (car a) (car b))))))

(progn
  (e2e-open-spec)

  (e2e-check "a missing binary: an error that says how to fix it"
    (let* ((trove-spec-lsp-executable "/nonexistent/trove-spec-lsp")
           (message (condition-case err (progn (eglot--guess-contact) nil)
                      (user-error (error-message-string err)))))
      (unless (and message
                   (string-match-p "/nonexistent/trove-spec-lsp. not found" message)
                   (string-match-p "cargo install" message)
                   (string-match-p "trove-spec-lsp-executable" message))
        (error "Message: %S" message))))

  (e2e-check "eglot starts trove-spec-lsp from this file's registration"
    ;; What M-x eglot would start: (MANAGED-MODES PROJECT CLASS CONTACT LANGUAGE-ID)
    (let ((guess (eglot--guess-contact)))
      (unless (equal (nth 3 guess)
                     (list trove-spec-lsp-executable "serve" :initializationOptions
                           (plist-get (nth 3 guess) :initializationOptions)))
        (error "Eglot's contact is not trove-spec-lsp's: %S" (nth 3 guess)))
      (unless (equal (nth 4 guess) "restructuredtext")
        (error "Language id %S" (nth 4 guess)))
      (unless (equal (file-truename (project-root (nth 1 guess))) (e2e-root))
        (error "Project root %s, not %s" (project-root (nth 1 guess)) (e2e-root)))
      ;; `eglot-ensure' does not fire in batch mode.  The connection completes
      ;; asynchronously when it takes longer than `eglot-sync-connect'.
      (e2e-with-stderr (apply #'eglot guess)
                       (e2e-wait-for "eglot to connect" #'eglot-current-server)))
    (setq e2e-server (eglot-current-server))
    (unless (eglot-managed-p) (error "Buffer not managed by eglot"))
    (let ((info (eglot--server-info e2e-server)))
      (unless (equal (plist-get info :name) "trove-spec-lsp")
        (error "serverInfo %S" info))))

  (when e2e-server
    (flymake-start)
    (e2e-check-diagnostics #'e2e-flymake-diagnostics)

    (e2e-check "hover on a heading: the template guidance"
      (e2e-goto-line-text "Problem Description")
      (forward-char 3)
      (e2e-check-hover-contents
       (plist-get (jsonrpc-request e2e-server :textDocument/hover
                                   (eglot--TextDocumentPositionParams))
                  :contents)))

    (e2e-check-completion "eglot" #'eglot-completion-at-point)
    (e2e-check-completion-inserts "eglot's completion-at-point" #'eglot-completion-at-point
                                  #'e2e-complete-at-point
                                  ;; what eglot's and flymake's idle timers do
                                  (lambda () (eglot--signal-textDocument/didChange)
                                    (flymake-start))
                                  #'e2e-flymake-diagnostics)
    (e2e-check-underline-inserts "eglot's completion-at-point" #'eglot-completion-at-point
                                 #'e2e-complete-at-point
                                 (lambda () (eglot--signal-textDocument/didChange)
                                   (flymake-start))
                                 #'e2e-flymake-diagnostics)

    (e2e-check-completion-restyles-title "eglot's completion-at-point" #'eglot-completion-at-point
                                         #'e2e-complete-at-point
                                         (lambda () (eglot--signal-textDocument/didChange)
                                           (flymake-start))
                                         #'e2e-flymake-diagnostics)

    (e2e-check "code action: insert the missing section; the finding goes away"
      (let* ((diag (cl-find-if (lambda (d) (string-match-p "\\[missing-section\\]"
                                                           (flymake-diagnostic-text d)))
                               (flymake-diagnostics)))
             (actions (jsonrpc-request
                       e2e-server :textDocument/codeAction
                       (list :textDocument (eglot--TextDocumentIdentifier)
                             :range (list :start (eglot--pos-to-lsp-position
                                                  (flymake-diagnostic-beg diag))
                                          :end (eglot--pos-to-lsp-position
                                                (flymake-diagnostic-end diag)))
                             :context (list :diagnostics
                                            (vector (alist-get 'eglot-lsp-diag
                                                               (flymake-diagnostic-data diag)))))))
             (fix (cl-find-if (lambda (a) (and (equal (plist-get a :kind) "quickfix")
                                               (string-match-p "Dependencies" (plist-get a :title))))
                              actions)))
        (unless fix
          (error "No quick fix for Dependencies among %S"
                 (mapcar (lambda (a) (plist-get a :title)) actions)))
        (eglot--apply-workspace-edit (plist-get fix :edit))
        ;; What eglot's and flymake's idle timers do after an edit; idle timers never
        ;; fire in batch mode.
        (eglot--signal-textDocument/didChange)
        (flymake-start)
        (e2e-check-fixed #'e2e-flymake-diagnostics)))

    (e2e-check-template-reload #'e2e-flymake-diagnostics)

    (e2e-check "settings the eglot way (eglot-workspace-configuration) turn a code off"
      (setq-default eglot-workspace-configuration
                    '(:trove-spec-lsp (:severity (:trailing-whitespace "off"))))
      (eglot-signal-didChangeConfiguration e2e-server)
      (e2e-wait-for "trailing-whitespace to go"
                    (lambda () (null (e2e-flymake-diagnostics "trailing-whitespace")))))

    (ignore-errors (eglot-shutdown e2e-server)))
  (e2e-finish))

;;; eglot-test.el ends here
