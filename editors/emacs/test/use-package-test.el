;;; use-package-test.el --- The README's use-package form, as a user pastes it  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh as: emacs --batch -L editors/emacs/test -l use-package-test.el
;; (the package directory is NOT on the load path: the form's :load-path must put it
;; there).  Reads the `use-package' form from editors/README.md, points its :load-path
;; at this checkout, evaluates it with Debian's elpa-use-package (built into Emacs 29),
;; then checks what it promises: the package loads, the hook is on rst-mode, the
;; setting took, and eglot started from that registration shows the server's findings
;; with that setting applied.
;; Prints "ok - NAME" / "not ok - NAME" per check and exits non-zero on any failure.

;;; Code:

(require 'cl-lib)
(require 'use-package)
(require 'eglot)

(defvar use-package-test-form nil "The form read from editors/README.md.")

(defun use-package-test-readme-form ()
  "The elisp block of editors/README.md that starts with (use-package trove-spec-lsp."
  (let ((readme (expand-file-name "../README.md" (getenv "EMACS_PACKAGE_DIR"))))
    (with-temp-buffer
      (insert-file-contents readme)
      (unless (re-search-forward "^```elisp\n\\((use-package trove-spec-lsp\\)" nil t)
        (error "No use-package block in %s" readme))
      (goto-char (match-beginning 1))
      (let ((form (read (current-buffer))))
        ;; the README's placeholder path, made this checkout's
        (cl-subst (getenv "EMACS_PACKAGE_DIR") "/path/to/trove-spec-lsp/editors/emacs"
                  form :test #'equal)))))

(setq use-package-test-form (use-package-test-readme-form))
(eval use-package-test-form t)
(require 'e2e-helpers)

(setq e2e-suite "use-package"
      e2e-stderr-function (lambda () (e2e-buffers-tail "\\` ?\\*EGLOT.*stderr\\*\\'")))

(progn
  (e2e-check "the README form loads the project's trove-spec-lsp.el through :load-path"
    (unless (featurep 'trove-spec-lsp) (error "Not loaded: %S" use-package-test-form))
    (unless (equal (locate-library "trove-spec-lsp.el")
                   (expand-file-name "trove-spec-lsp.el" (getenv "EMACS_PACKAGE_DIR")))
      (error "Loaded %s" (locate-library "trove-spec-lsp.el"))))

  (e2e-check "its :hook puts eglot-ensure on rst-mode-hook, and :custom sets the severity"
    (unless (memq #'eglot-ensure rst-mode-hook) (error "rst-mode-hook: %S" rst-mode-hook))
    (unless (equal trove-spec-lsp-severity '(("line-too-long" . "off")))
      (error "trove-spec-lsp-severity: %S" trove-spec-lsp-severity)))

  (setq trove-spec-lsp-executable (e2e-env "TROVE_SPEC_LSP"))
  (find-file (e2e-env "SPEC"))
  (e2e-check "the spec has a line too long for the CLI's defaults"
    (goto-char (point-max))
    (insert (make-string 90 ?x) " and more\n")
    (save-buffer)
    (unless (string-match-p "line-too-long"
                            (with-output-to-string
                              (call-process trove-spec-lsp-executable nil standard-output nil
                                            "check" buffer-file-name)))
      (error "check reports no line-too-long")))
  (e2e-check "eglot, started as the hook would, shows findings without line-too-long"
    ;; `eglot-ensure' does not fire in batch mode: start what it would start.
    (e2e-with-stderr (apply #'eglot (eglot--guess-contact))
                     (e2e-wait-for "eglot to connect" #'eglot-current-server))
    (flymake-start)
    (e2e-wait-for "diagnostics"
                  (lambda () (cl-some (lambda (d) (string-match-p "missing-section"
                                                                  (flymake-diagnostic-text d)))
                                      (flymake-diagnostics))))
    (let ((long (cl-remove-if-not (lambda (d) (string-match-p "line-too-long"
                                                              (flymake-diagnostic-text d)))
                                  (flymake-diagnostics))))
      (when long (error "line-too-long shown although the form turned it off: %d" (length long))))
    (ignore-errors (eglot-shutdown (eglot-current-server))))
  (e2e-finish))

;;; use-package-test.el ends here
