;;; e2e.el --- End-to-end test of trove-spec-lsp.el with eglot  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh as: emacs --batch -l trove-spec-lsp.el -l test/e2e.el
;; Debian's emacs-nox and elpa-eglot, the project's own trove-spec-lsp.el, the real
;; server binary, a spec from the corpus.  Environment: TROVE_SPEC_LSP (binary), SPEC
;; (the spec to open), ROOT (its repository).
;; Prints "ok - NAME" / "not ok - NAME" per check and exits non-zero on any failure.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)   ; from Debian's elpa-eglot: on the load path by site start-up
(require 'trove-spec-lsp)

(defvar e2e-passed 0)
(defvar e2e-failed 0)
(defconst e2e-wait 10 "Seconds to wait for the server.")

(defun e2e-out (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY as the check NAME: an error fails it, with its message."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (cl-incf e2e-passed)
              (e2e-out "ok - %s" ,name))
     (error (cl-incf e2e-failed)
            (e2e-out "not ok - %s\n  %s" ,name (error-message-string err)))))

(defun e2e-wait-for (what predicate)
  "Process events until PREDICATE holds, or fail naming WHAT."
  (let ((deadline (+ (float-time) e2e-wait)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out after %ss waiting for %s" e2e-wait what))))

(defun e2e-env (name)
  (let ((value (getenv name)))
    (unless (and value (not (string-empty-p value)))
      (error "%s is not set" name))
    value))

(defun e2e-diagnostics (&optional code)
  "The flymake diagnostics from trove-spec-lsp, as (LINE CODE TYPE TEXT), with CODE only."
  (let (found)
    (dolist (d (flymake-diagnostics))
      (let ((text (flymake-diagnostic-text d)))
        (when (string-match "\\`trove-spec-lsp \\[\\([a-z-]+\\)\\]: " text)
          (let ((this (match-string 1 text)))
            (when (or (null code) (equal code this))
              (push (list (line-number-at-pos (flymake-diagnostic-beg d))
                          this (flymake-diagnostic-type d) text)
                    found))))))
    (sort found (lambda (a b) (< (car a) (car b))))))

(defun e2e-server-stderr ()
  "The end of what the server wrote on stderr, from eglot's stderr buffer."
  (mapconcat (lambda (buffer)
               (with-current-buffer buffer
                 (buffer-substring (max (point-min) (- (point-max) 1500)) (point-max))))
             (cl-remove-if-not (lambda (b) (string-match-p "\\` ?\\*EGLOT.*stderr\\*\\'" (buffer-name b)))
                               (buffer-list))
             "\n"))

(defun e2e-summary ()
  (mapconcat (lambda (d) (format "%d:%s" (nth 0 d) (nth 1 d))) (e2e-diagnostics) " "))

(defun e2e-goto-line-text (text)
  "Move to the start of the line that reads TEXT exactly."
  (goto-char (point-min))
  (unless (re-search-forward (concat "^" (regexp-quote text) "$") nil t)
    (error "No line %S in the buffer" text))
  (beginning-of-line))

(defvar e2e-server nil)
(defvar e2e-finished nil)

;; In batch mode an error in a process sentinel (eglot's "Server died" when the server
;; crashes) ends Emacs at once: say what happened on the way out.
(add-hook 'kill-emacs-hook
          (lambda ()
            (unless e2e-finished
              (e2e-out "not ok - the test was cut short (the server died?); server stderr:\n%s"
                       (e2e-server-stderr))
              (e2e-out "emacs: %d passed, %d failed" e2e-passed (1+ e2e-failed)))))

(let* ((binary (e2e-env "TROVE_SPEC_LSP"))
       (spec (e2e-env "SPEC"))
       (root (file-name-as-directory (file-truename (e2e-env "ROOT")))))
  ;; The user's setup: the binary under test and one setting.
  (setq trove-spec-lsp-executable binary
        trove-spec-lsp-severity '(("trailing-whitespace" . "warning")))
  (e2e-check "trove-spec-lsp.el byte-compiles without a warning"
    (let* ((source (locate-library "trove-spec-lsp.el"))
           (byte-compile-dest-file-function
            (lambda (_) (expand-file-name "trove-spec-lsp.elc" root)))
           (byte-compile-error-on-warn t))
      (unless (equal source (expand-file-name "trove-spec-lsp.el" (getenv "EMACS_PACKAGE_DIR")))
        (error "Loaded %s, not the project's file" source))
      (unless (byte-compile-file source)
        (error "Byte-compiling %s failed" source))))

  (find-file spec)

  (e2e-check "rst-mode, and eglot starts trove-spec-lsp from this file's registration"
    (unless (eq major-mode 'rst-mode) (error "Major mode %s, not rst-mode" major-mode))
    (let ((guess (eglot--guess-contact)))
      ;; (MANAGED-MODES PROJECT CLASS CONTACT LANGUAGE-ID)
      (unless (equal (nth 3 guess)
                     (list binary "serve" :initializationOptions
                           (plist-get (nth 3 guess) :initializationOptions)))
        (error "Eglot's contact is not trove-spec-lsp's: %S" (nth 3 guess)))
      (unless (equal (nth 4 guess) "restructuredtext")
        (error "Language id %S" (nth 4 guess)))
      (unless (equal (file-truename (project-root (nth 1 guess))) root)
        (error "Project root %s, not %s" (project-root (nth 1 guess)) root))
      (condition-case err (apply #'eglot guess)
        (error (error "%s; server stderr:\n%s" (error-message-string err) (e2e-server-stderr)))))
    ;; The connection completes asynchronously when it takes longer than
    ;; `eglot-sync-connect'.
    (e2e-wait-for "eglot to connect" #'eglot-current-server)
    (setq e2e-server (eglot-current-server))
    (unless e2e-server
      (error "No eglot server for the buffer; server stderr:\n%s" (e2e-server-stderr)))
    (unless (eglot-managed-p) (error "Buffer not managed by eglot"))
    (let ((info (eglot--server-info e2e-server)))
      (unless (equal (plist-get info :name) "trove-spec-lsp")
        (error "serverInfo %S" info))))

  (e2e-check "flymake diagnostics: codes and lines"
    (unless e2e-server (error "No server (see the first failure)"))
    (flymake-start)
    (e2e-wait-for "missing-section and trailing-whitespace in flymake"
                  (lambda () (and (e2e-diagnostics "missing-section")
                                  (e2e-diagnostics "trailing-whitespace"))))
    (let ((missing (e2e-diagnostics "missing-section"))
          (trailing (e2e-diagnostics "trailing-whitespace")))
      (unless (= (length missing) 1) (error "One missing section: %s" (e2e-summary)))
      (unless (string-match-p "Dependencies" (nth 3 (car missing)))
        (error "Does not name Dependencies: %s" (nth 3 (car missing))))
      (unless (eq (nth 2 (car missing)) 'eglot-error)
        (error "missing-section is %s, not an error" (nth 2 (car missing))))
      (unless (equal (mapcar #'car trailing) '(40))
        (error "trailing-whitespace on line 40 only: %s" (e2e-summary)))
      (unless (eq (nth 2 (car trailing)) 'eglot-warning)
        (error "trailing-whitespace is %s, not the warning set in `trove-spec-lsp-severity'"
               (nth 2 (car trailing))))))

  (e2e-check "hover on a heading: the template guidance"
    (unless e2e-server (error "No server (see the first failure)"))
    (e2e-goto-line-text "Problem Description")
    (forward-char 3)
    (let* ((hover (jsonrpc-request e2e-server :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents)))
      (unless (equal (plist-get contents :kind) "markdown")
        (error "Hover contents %S" contents))
      (unless (string-match-p (regexp-quote "A detailed description of the problem.")
                              (plist-get contents :value))
        (error "No guidance in %S" (plist-get contents :value)))))

  (e2e-check "completion at the start of a line: the missing heading"
    (unless e2e-server (error "No server (see the first failure)"))
    (e2e-goto-line-text "Testing")
    (forward-line -1)
    (let* ((capf (eglot-completion-at-point))
           (candidates (all-completions "" (nth 2 capf))))
      (unless (member "Dependencies" candidates)
        (error "Dependencies not among %S" candidates))
      (when (member "Testing" candidates)
        (error "A present heading is offered: %S" candidates))))

  (e2e-check "code action: insert the missing section; the finding goes away"
    (unless e2e-server (error "No server (see the first failure)"))
    (let* ((diag (cl-find-if (lambda (d) (string-match-p "\\[missing-section\\]"
                                                         (flymake-diagnostic-text d)))
                             (flymake-diagnostics)))
           (beg (flymake-diagnostic-beg diag))
           (end (flymake-diagnostic-end diag))
           (actions (jsonrpc-request
                     e2e-server :textDocument/codeAction
                     (list :textDocument (eglot--TextDocumentIdentifier)
                           :range (list :start (eglot--pos-to-lsp-position beg)
                                        :end (eglot--pos-to-lsp-position end))
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
      (e2e-goto-line-text "Dependencies")
      (forward-line 1)
      (unless (looking-at "============$") (error "Not underlined"))
      (e2e-wait-for "missing-section to go"
                    (lambda () (null (e2e-diagnostics "missing-section"))))
      (unless (e2e-diagnostics "trailing-whitespace")
        (error "The other finding went too: %s" (e2e-summary)))))

  (when e2e-server
    (ignore-errors (eglot-shutdown e2e-server)))
  (e2e-out "emacs: %d passed, %d failed" e2e-passed e2e-failed)
  (setq e2e-finished t)
  (kill-emacs (if (> e2e-failed 0) 1 0)))

;;; e2e.el ends here
