"""Offline validation of deploy/: instance files, Helm values, manifests, compose, systemd units."""
