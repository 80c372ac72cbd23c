;;; trove-spec-lsp.el --- Check OpenStack specs against their template with trove-spec-lsp  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The trove-spec-lsp authors

;; Author: The trove-spec-lsp authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools, convenience
;; SPDX-License-Identifier: Apache-2.0

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Connects `rst-mode' buffers to the trove-spec-lsp language server, which checks
;; OpenStack specs (reStructuredText files under a `specs/' directory) against their
;; template: diagnostics (missing, extra, misordered or misnamed sections, heading
;; underlines, long lines, trailing whitespace, left-over template text), completion of
;; missing headings, the template's guidance on hover, and quick fixes.
;;
;; It registers the server with whichever client is loaded, and does nothing else:
;;
;; - eglot: an entry in `eglot-server-programs' for `rst-mode'; start it with
;;   M-x eglot, or `(add-hook 'rst-mode-hook #'eglot-ensure)'.
;; - lsp-mode: a client (server id `trove-spec-lsp') that runs beside any other
;;   reStructuredText server; start it with M-x lsp, or `(add-hook 'rst-mode-hook #'lsp)'.
;;
;; Installation:
;;
;;   (add-to-list 'load-path "/path/to/trove-spec-lsp/editors/emacs")
;;   (require 'trove-spec-lsp)
;;
;; The binary is `trove-spec-lsp-executable' (default: found on `exec-path').  The
;; settings (`trove-spec-lsp-template', `trove-spec-lsp-severity', ...) are sent to the
;; server when it starts; left unset, `trove-spec-lsp.toml' at the repository root
;; and the server's defaults apply.  After changing them, restart the server
;; (M-x eglot-reconnect, or M-x lsp-workspace-restart).  Per project, eglot users
;; can give the same keys in `.dir-locals.el', the eglot way:
;;
;;   ((rst-mode . ((eglot-workspace-configuration
;;                  . (:trove-spec-lsp (:severity (:line-too-long "off")))))))

;;; Code:

(defgroup trove-spec-lsp nil
  "OpenStack spec checking with the trove-spec-lsp language server."
  :group 'tools
  :prefix "trove-spec-lsp-")

(defcustom trove-spec-lsp-executable "trove-spec-lsp"
  "The trove-spec-lsp binary: a file name, or a command found on `exec-path'."
  :type 'string)

(defcustom trove-spec-lsp-template nil
  "Template the specs are checked against, or nil to discover it.
Discovery: `specs/<release>-template.rst', then `specs/template.rst' in the
nearest ancestor, then the built-in Trove template.  A relative name is taken
from the repository root."
  :type '(choice (const :tag "Discover" nil) file))

(defcustom trove-spec-lsp-severity nil
  "Severity per finding code, as an alist of (CODE . SEVERITY).
CODE is a finding code such as \"line-too-long\"; SEVERITY is \"error\",
\"warning\", \"information\", \"hint\", or \"off\" to silence that code."
  :type '(alist :key-type (string :tag "Code")
                :value-type (choice (const "error") (const "warning")
                                    (const "information") (const "hint")
                                    (const "off"))))

(defcustom trove-spec-lsp-specs nil
  "Globs (relative to the repository root) of more files to check as specs.
Files under a `specs/' directory always are."
  :type '(repeat string))

(defcustom trove-spec-lsp-optional nil
  "Template sections a spec may leave out.
A top-level title (\"History\") or \"Section/Subsection\"."
  :type '(repeat string))

(defcustom trove-spec-lsp-max-line-length nil
  "Line-length limit for `line-too-long', or nil for the configured default (79)."
  :type '(choice (const :tag "Default" nil) integer))

(defun trove-spec-lsp-settings ()
  "The server settings from the customisations, as a JSON object (hash table).
Only what is set is included, so `trove-spec-lsp.toml' applies to the rest."
  (let ((settings (make-hash-table :test #'equal)))
    (when trove-spec-lsp-template
      (puthash "template" trove-spec-lsp-template settings))
    (when trove-spec-lsp-severity
      (let ((severity (make-hash-table :test #'equal)))
        (dolist (entry trove-spec-lsp-severity)
          (puthash (car entry) (cdr entry) severity))
        (puthash "severity" severity settings)))
    (when trove-spec-lsp-specs
      (puthash "specs" (vconcat trove-spec-lsp-specs) settings))
    (when trove-spec-lsp-optional
      (puthash "optional" (vconcat trove-spec-lsp-optional) settings))
    (when trove-spec-lsp-max-line-length
      (puthash "max-line-length" trove-spec-lsp-max-line-length settings))
    settings))

(defun trove-spec-lsp--command ()
  "The command line that starts the server (the binary as found on `exec-path')."
  (list (or (executable-find trove-spec-lsp-executable) trove-spec-lsp-executable) "serve"))

;;;; eglot

(defun trove-spec-lsp-eglot-contact (&optional _interactive)
  "The eglot contact for trove-spec-lsp, read from the customisations at start.
A missing binary is an error that says how to fix it."
  (unless (executable-find trove-spec-lsp-executable)
    (user-error "trove-spec-lsp: `%s' not found; install it (cargo install --locked --path . in its repository) or set `trove-spec-lsp-executable'"
                trove-spec-lsp-executable))
  (append (trove-spec-lsp--command)
          (list :initializationOptions (lambda (_server) (trove-spec-lsp-settings)))))

(defvar eglot-server-programs)

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((rst-mode :language-id "restructuredtext") . trove-spec-lsp-eglot-contact)))

;;;; lsp-mode

(declare-function lsp-register-client "ext:lsp-mode")
(declare-function make-lsp-client "ext:lsp-mode")
(declare-function lsp-stdio-connection "ext:lsp-mode")
(declare-function lsp-activate-on "ext:lsp-mode")
(declare-function lsp-register-custom-settings "ext:lsp-mode")
(defvar lsp-language-id-configuration)

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(rst-mode . "restructuredtext"))
  ;; The server also asks for section "trove-spec-lsp" (workspace/configuration):
  ;; answer with the same settings as the initializationOptions.
  (lsp-register-custom-settings
   (mapcar (lambda (key)
             (list (concat "trove-spec-lsp." key)
                   (lambda () (gethash key (trove-spec-lsp-settings)))))
           '("template" "severity" "specs" "optional" "max-line-length")))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection #'trove-spec-lsp--command)
    :activation-fn (lsp-activate-on "restructuredtext")
    :initialization-options #'trove-spec-lsp-settings
    :add-on? t
    :server-id 'trove-spec-lsp)))

(provide 'trove-spec-lsp)
;;; trove-spec-lsp.el ends here
