"""pip install inside the research sandbox, through the package-index proxy.

The sandbox has no network but its loopback; the host's allow-listing CONNECT proxy is a unix
socket bound in at $QF_PROXY_SOCKET. This bridge listens on 127.0.0.1 (the sandbox's own
loopback), relays each connection to that socket, and runs pip with it as HTTPS proxy, installing
into $QF_USER_SITE (the user's scratch/.site-packages, added to sys.path by sitecustomize).

    python _qf_pip.py PACKAGE [PACKAGE ...]
"""
import os
import socket
import subprocess
import sys
import threading


def _pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _serve(listener, socket_path):
    while True:
        client, _ = listener.accept()
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(socket_path)
        except OSError:
            client.close()
            continue
        threading.Thread(target=_pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()


def main(packages):
    socket_path = os.environ["QF_PROXY_SOCKET"]
    target = os.environ["QF_USER_SITE"]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    threading.Thread(target=_serve, args=(listener, socket_path), daemon=True).start()
    proxy = "http://127.0.0.1:%d" % listener.getsockname()[1]
    env = dict(os.environ, HTTPS_PROXY=proxy, HTTP_PROXY=proxy, https_proxy=proxy, http_proxy=proxy)
    os.makedirs(target, exist_ok=True)
    # The system's trust store (bound in from /etc/ssl) when there is one, so a TLS-inspecting
    # egress proxy an administrator trusts is trusted here too; else pip's own certifi bundle.
    system_ca = "/etc/ssl/certs/ca-certificates.crt"
    cert = ["--cert", system_ca] if os.path.isfile(system_ca) else []
    cmd = [
        sys.executable, "-m", "pip", "install",
        "--target", target, "--upgrade",
        "--no-input", "--disable-pip-version-check", "--no-cache-dir", "--progress-bar", "off",
        "--index-url", "https://pypi.org/simple",
    ] + cert + packages
    return subprocess.run(cmd, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
