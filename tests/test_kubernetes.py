"""The generated project's Kubernetes manifests (deploy/kubernetes/): valid for the
Kubernetes API, with the security, probe and rollout settings the project promises, and
run for real with `podman kube play`: PostgreSQL, Redis, the migrate Job, the
Deployment's two replicas behind their Service, the token flow, the task worker and its
liveness check, then down with nothing left behind."""

import base64
import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from containers import podman, unique
from deployment import PASSWORD, Client
from rendering import TEMPLATE
from servers import free_port, wait_until

KUBERNETES_VALIDATE = Path(sys.executable).parent / "kubernetes-validate"
# The newest Kubernetes the validator knows, and the oldest these manifests claim to
# work on (lifecycle.preStop.sleep, in deployment.yaml).
KUBERNETES_VERSIONS = [None, "1.30.0"]
# Where the manifests' resource figures come from: bench/README.md, the largest gunicorn
# worker after load and logins, on PostgreSQL + Redis (the stack the manifests run).
PROCESS_MB = 68

DEFAULTS = json.loads((TEMPLATE / "cookiecutter.json").read_text())
MANIFESTS = [
    "configmap",
    "deployment",
    "worker",
    "prune-tasks",
    "service",
    "migrate-job",
    "ingress",
    "pdb",
    "networkpolicy",
]
# Where each workload keeps its pod's spec: a CronJob's is in its Job's template.
POD_SPECS = {
    "deployment": "spec.template.spec",
    "worker": "spec.template.spec",
    "migrate-job": "spec.template.spec",
    "prune-tasks": "spec.jobTemplate.spec.template.spec",
}
POD = POD_SPECS["deployment"]
CONTAINER = f"{POD}.containers.0"
WORKLOADS = list(POD_SPECS)
# The resources' names, after the app's: <slug>-<suffix>.
NAME_SUFFIXES = {
    "migrate-job": "-migrate",
    "worker": "-worker",
    "prune-tasks": "-prune-tasks",
}


def manifest_dir(project_path: Path) -> Path:
    return project_path / "deploy" / "kubernetes"


def load_manifests(project_path: Path) -> dict:
    """Each manifest by file name without .yaml, kustomization.yaml included."""
    return {
        path.stem: yaml.safe_load(path.read_text())
        for path in sorted(manifest_dir(project_path).glob("*.yaml"))
    }


def dig(document, path: str):
    """document["a"]["b"][0]... for "a.b.0"; "\\." is a dot within a key."""
    for key in path.replace("\\.", "\0").split("."):
        key = key.replace("\0", ".")
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


def memory_bytes(quantity: str) -> int:
    value, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()
    return int(value) * {"Mi": 2**20, "Gi": 2**30}[unit]


@pytest.fixture
def manifests(project):
    return load_manifests(project.path)


# --- The files -----------------------------------------------------------------------


def test_kustomization_lists_every_manifest(project):
    files = {path.name for path in manifest_dir(project.path).iterdir()}
    assert files == {f"{name}.yaml" for name in [*MANIFESTS, "kustomization"]}
    kustomization = load_manifests(project.path)["kustomization"]
    assert kustomization["resources"] == [f"{name}.yaml" for name in MANIFESTS]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS, ids=lambda v: v or "latest")
def test_manifests_are_valid(project, version):
    """kubernetes-validate --strict: the API's own schemas, no unknown field."""
    files = [manifest_dir(project.path) / f"{name}.yaml" for name in MANIFESTS]
    version_args = ["--kubernetes-version", version] if version else []
    result = subprocess.run(
        [KUBERNETES_VALIDATE, "--strict", *version_args, *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for path in files:
        assert f"{path.name} passed" in output, output
    assert "WARN" not in output, output
    assert "ERROR" not in output, output


def test_manifests_are_tidy(project):
    """Two-space YAML, as rendered: no tabs, no trailing spaces or blank lines, no
    template leftovers, each file one resource."""
    for path in manifest_dir(project.path).iterdir():
        text = path.read_text()
        assert "\t" not in text, path.name
        assert text.endswith("\n"), path.name
        assert not text.endswith("\n\n"), path.name
        assert not re.search(r"[ ]+$", text, re.MULTILINE), path.name
        assert not re.search(r"{{|{%|}}|%}", text), path.name
        assert len(list(yaml.safe_load_all(text))) == 1, path.name
        indents = {len(m) for m in re.findall(r"^( +)\S", text, re.MULTILINE)}
        assert all(indent % 2 == 0 for indent in indents), path.name


# --- The settings --------------------------------------------------------------------

POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 10001,  # the Dockerfile's USER
    "runAsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}

# (manifest, path, expected value): what the issue and the project's rules ask for.
SETTINGS = [
    *[
        setting
        for workload, pod in POD_SPECS.items()
        for setting in [
            (workload, f"{pod}.securityContext", POD_SECURITY),
            (workload, f"{pod}.containers.0.securityContext", CONTAINER_SECURITY),
            (workload, f"{pod}.automountServiceAccountToken", False),
            (workload, f"{pod}.enableServiceLinks", False),
            # The one writable place: /tmp, in memory, bounded.
            (
                workload,
                f"{pod}.containers.0.volumeMounts",
                [{"name": "tmp", "mountPath": "/tmp"}],
            ),
            (workload, f"{pod}.volumes.0.name", "tmp"),
            (workload, f"{pod}.volumes.0.emptyDir.medium", "Memory"),
            (workload, f"{pod}.volumes.0.emptyDir.sizeLimit", "16Mi"),
        ]
    ],
    # The task worker: the app's image, another command, a check that the queue drains.
    ("worker", "spec.replicas", 1),
    ("worker", f"{CONTAINER}.command", ["python", "manage.py", "worker"]),
    (
        "worker",
        f"{CONTAINER}.livenessProbe.exec.command",
        ["python", "manage.py", "check_task_queue", "--max-wait", "300"],
    ),
    ("worker", f"{CONTAINER}.resources.limits.memory", "256Mi"),
    # Finished tasks pruned every night, one run at a time.
    ("prune-tasks", "spec.schedule", "17 3 * * *"),
    ("prune-tasks", "spec.concurrencyPolicy", "Forbid"),
    (
        "prune-tasks",
        f"{POD_SPECS['prune-tasks']}.containers.0.command",
        ["python", "manage.py", "prune_db_task_results", "--min-age-days", "14"],
    ),
    ("prune-tasks", f"{POD_SPECS['prune-tasks']}.restartPolicy", "Never"),
    ("deployment", "spec.replicas", 2),
    ("deployment", "spec.strategy.type", "RollingUpdate"),
    ("deployment", "spec.strategy.rollingUpdate", {"maxUnavailable": 0, "maxSurge": 1}),
    ("deployment", f"{CONTAINER}.ports", [{"name": "http", "containerPort": 8000}]),
    (
        "deployment",
        f"{CONTAINER}.livenessProbe.httpGet",
        {"path": "/healthz", "port": "http"},
    ),
    (
        "deployment",
        f"{CONTAINER}.readinessProbe.httpGet",
        {"path": "/readyz", "port": "http"},
    ),
    (
        "deployment",
        f"{CONTAINER}.startupProbe.httpGet",
        {"path": "/healthz", "port": "http"},
    ),
    ("deployment", f"{CONTAINER}.lifecycle.preStop.sleep.seconds", 5),
    ("deployment", f"{CONTAINER}.resources.requests.cpu", "250m"),
    ("deployment", f"{CONTAINER}.resources.requests.memory", "256Mi"),
    ("deployment", f"{CONTAINER}.resources.limits.memory", "384Mi"),
    (
        "migrate-job",
        f"{CONTAINER}.command",
        ["python", "manage.py", "migrate", "--no-input"],
    ),
    ("migrate-job", f"{POD}.restartPolicy", "Never"),
    ("migrate-job", "spec.backoffLimit", 3),
    ("migrate-job", "spec.ttlSecondsAfterFinished", 3600),
    ("service", "spec.type", "ClusterIP"),
    ("service", "spec.ports", [{"name": "http", "port": 80, "targetPort": "http"}]),
    ("pdb", "spec.minAvailable", 1),
    ("ingress", "spec.ingressClassName", "nginx"),
    ("ingress", "spec.rules.0.http.paths.0.pathType", "Prefix"),
    ("ingress", "spec.rules.0.http.paths.0.backend.service.port.name", "http"),
    # Plain HTTP reaches Django, which refuses API calls rather than redirect them.
    (
        "ingress",
        "metadata.annotations.nginx\\.ingress\\.kubernetes\\.io/ssl-redirect",
        "false",
    ),
    ("networkpolicy", "spec.policyTypes", ["Ingress"]),
    ("networkpolicy", "spec.ingress.0.ports", [{"protocol": "TCP", "port": 8000}]),
    (
        "networkpolicy",
        "spec.ingress.0.from",
        [
            {
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                }
            }
        ],
    ),
    ("configmap", "data.GUNICORN_WORKERS", "2"),
    ("configmap", "data.GUNICORN_FORWARDED_ALLOW_IPS", "*"),
    ("configmap", "data.DJANGO_NUM_PROXIES", "1"),
    ("configmap", "data.REDIS_URL", "redis://redis:6379/0"),
]


@pytest.mark.parametrize(
    ("manifest", "path", "expected"), SETTINGS, ids=[f"{m}:{p}" for m, p, _ in SETTINGS]
)
def test_setting(manifests, manifest, path, expected):
    assert dig(manifests[manifest], path) == expected


def test_names_and_references(project, manifests):
    """One DNS-safe name for the app's resources, and every reference between them
    (ConfigMap, Secret, Service, image, selectors, named port) points where it should."""
    name = project.path.name.replace("_", "-")
    for manifest in MANIFESTS:
        expected = name + NAME_SUFFIXES.get(manifest, "")
        assert manifests[manifest]["metadata"]["name"] == expected, manifest
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", expected)
    for workload, pod in POD_SPECS.items():
        container = dig(manifests[workload], f"{pod}.containers.0")
        assert container["envFrom"] == [
            {"configMapRef": {"name": name}},
            {"secretRef": {"name": name}},
        ], workload
        # The image's name as compose.yaml and the README build it.
        assert container["image"] == f"{project.path.name}:latest", workload
    web = dig(manifests["deployment"], "spec.selector.matchLabels")
    assert dig(manifests["deployment"], "spec.template.metadata.labels") == web
    assert dig(manifests["service"], "spec.selector") == web
    assert dig(manifests["pdb"], "spec.selector.matchLabels") == web
    assert dig(manifests["networkpolicy"], "spec.podSelector.matchLabels") == web
    # The other pods are no Service endpoints and count in no disruption budget.
    for workload, pod in POD_SPECS.items():
        if workload != "deployment":
            template = pod.removesuffix(".spec")
            labels = dig(manifests[workload], f"{template}.metadata.labels")
            assert not web.items() <= labels.items(), workload
    backend = dig(manifests["ingress"], "spec.rules.0.http.paths.0.backend.service")
    assert backend["name"] == manifests["service"]["metadata"]["name"]


def test_ingress_serves_the_domain_as_nginx_conf_does(project, manifests):
    domain = project.answers.get("domain_name", DEFAULTS["domain_name"])
    ingress = manifests["ingress"]
    assert dig(ingress, "spec.rules.0.host") == domain
    assert dig(ingress, "spec.tls.0.hosts") == [domain]
    assert dig(ingress, "spec.tls.0.secretName")
    assert manifests["configmap"]["data"]["DJANGO_ALLOWED_HOSTS"] == domain
    # The same body size limit and read timeout as deploy/nginx.conf.
    nginx_conf = (project.path / "deploy" / "nginx.conf").read_text()
    annotations = ingress["metadata"]["annotations"]
    body_size = re.search(r"client_max_body_size (\w+);", nginx_conf).group(1)
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == body_size
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", nginx_conf).group(1)
    assert annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] == read_timeout


def test_configuration_is_what_the_project_reads(project, manifests):
    """ConfigMap keys are settings the project reads (.env.example lists them all); the
    secret ones are in no shipped resource: no Secret with values ends up in git."""
    env_example = (project.path / ".env.example").read_text()
    known = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", env_example, re.MULTILINE))
    config = manifests["configmap"]["data"]
    assert set(config) <= known
    assert all(isinstance(value, str) for value in config.values())
    assert all(document["kind"] != "Secret" for document in manifests.values())
    for secret in ["DJANGO_SECRET_KEY", "DATABASE_URL"]:
        assert secret in known
        for name, document in manifests.items():
            assert secret not in json.dumps(document), (name, secret)


def test_shutdown_and_resources_fit_gunicorn(project, manifests):
    """The grace period covers the preStop sleep and gunicorn's graceful timeout; the
    memory request holds the master and its workers, as the benchmark measured them."""
    gunicorn_conf = (project.path / "gunicorn.conf.py").read_text()
    timeout = int(
        re.search(r'"GUNICORN_TIMEOUT", default=(\d+)', gunicorn_conf).group(1)
    )
    assert "graceful_timeout = timeout" in gunicorn_conf
    pod = dig(manifests["deployment"], POD)
    sleep = dig(pod, "containers.0.lifecycle.preStop.sleep.seconds")
    assert pod["terminationGracePeriodSeconds"] > sleep + timeout

    workers = int(manifests["configmap"]["data"]["GUNICORN_WORKERS"])
    resources = dig(pod, "containers.0.resources")
    request = memory_bytes(resources["requests"]["memory"])
    limit = memory_bytes(resources["limits"]["memory"])
    tmp = memory_bytes(dig(pod, "volumes.0.emptyDir.sizeLimit"))  # counted in the limit
    assert (workers + 1) * PROCESS_MB * 10**6 < request < limit - tmp
    # No CPU limit: throttling would slow the logins' password hashing.
    assert "cpu" not in resources["limits"]
    # The probes' timeouts and the startup budget.
    container = pod["containers"][0]
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 30
    for probe in ["livenessProbe", "readinessProbe"]:
        assert container[probe]["timeoutSeconds"] < container[probe]["periodSeconds"]


# --- podman kube play ----------------------------------------------------------------
#
# podman 4.3 (Debian 12) plays Pods, Deployments (one pod per replica, named
# <deployment>-pod-<i>), PersistentVolumeClaims and ConfigMaps. What it lacks, and what
# the test does instead, changing the shipped YAML only where it must (loaded with
# pyyaml, never edited on disk):
# - No Job: the migrate Job's pod template runs as a Pod. No CronJob: the prune
#   CronJob is validated only (kubernetes-validate, and its settings above).
# - No Service: an nginx pod stands in for it, on the Service's port, in front of every
#   replica's named port; it publishes that port on 127.0.0.1. Like the ingress
#   controller, it reaches the app from another pod's address.
# - A containerPort without hostPort is published all the same, on every address of the
#   host and the same port number: the app container's ports are dropped (two replicas
#   would collide on 8000, and the app would be reachable beyond loopback).
# - No Secret kind for environment variables: envFrom.secretRef is read from podman's
#   own secret store, as a JSON object of base64 values. The test makes one with a
#   unique name (the Secret's name in the manifests is the same on every run), holding
#   a secret key and the DATABASE_URL of its PostgreSQL pod.
# - An emptyDir is a named volume, called as the pod's volume and shared by every pod
#   that uses that name: the test gives each workload's volume a unique name.
# - Pod and container names are global on the host: the Deployment's and the Job's
#   names are made unique, as is everything else the test creates.
# - The image: the project's image built by this session, in place of <slug>:latest.
# - Probes become podman healthchecks that would run curl (not in the image) against
#   port 0 (a named port), and nothing runs them here: the test probes /healthz and
#   /readyz itself, on each replica's own address as the kubelet would (podman exec),
#   and through the Service.
# Everything else is played as shipped: two replicas, the ConfigMap, the security
# context and resources, the probes' paths.

READY_SECONDS = 90


def leftovers(run: str) -> list[str]:
    """Anything of this run's still on the host: pods, containers (infra included),
    volumes, secrets, networks."""
    listings = [
        ("pod", "ps", "--format", "{{.Name}}"),
        ("ps", "--all", "--format", "{{.Names}} {{.PodName}}"),
        ("volume", "ls", "--format", "{{.Name}}"),
        ("secret", "ls", "--format", "{{.Name}}"),
        ("network", "ls", "--format", "{{.Name}}"),
    ]
    return [
        line
        for listing in listings
        for line in podman(*listing).stdout.splitlines()
        if run in line
    ]


def probe(container: str, path: str) -> int:
    """GET path on the app's port from inside its pod, as a kubelet probe reaches it:
    plain HTTP, an address as Host. The HTTP status, or 0."""
    script = (
        "import urllib.request, urllib.error\n"
        "try:\n"
        f"    status = urllib.request.urlopen('http://127.0.0.1:8000{path}', timeout=3).status\n"
        "except urllib.error.HTTPError as error:\n"
        "    status = error.code\n"
        "except OSError:\n"
        "    status = 0\n"
        "print(status)\n"
    )
    result = podman("exec", container, "python", "-c", script, check=False, timeout=30)
    return int(result.stdout.strip() or 0)


def json_lines(output: str) -> list[dict]:
    """The JSON objects among a container's log lines (the app logs nothing else)."""
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def pod(name, container, image, env=None, files=None, ports=()) -> dict:
    """A test-side Pod of one container (podman names it <pod>-<container>); `files`:
    host files, each mounted read-only at its path in the container; `ports`: (port in
    the pod, port published on 127.0.0.1)."""
    files = files or {}
    volumes = {target: f"{name}-{i}" for i, target in enumerate(files)}
    container = {
        "name": container,
        "image": image,
        "env": [{"name": key, "value": value} for key, value in (env or {}).items()],
        "ports": [
            {"containerPort": port, "hostPort": host_port, "hostIP": "127.0.0.1"}
            for port, host_port in ports
        ],
        "volumeMounts": [
            {"name": volume, "mountPath": target, "readOnly": True}
            for target, volume in volumes.items()
        ],
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "containers": [container],
            "volumes": [
                {
                    "name": volume,
                    "hostPath": {"path": str(files[target]), "type": "File"},
                }
                for target, volume in volumes.items()
            ],
        },
    }


def write_yaml(path: Path, *documents) -> Path:
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return path


def podman_secret(data: dict) -> str:
    """A Secret's data as podman 4.3's kube play reads it: JSON, values in base64."""
    return json.dumps(
        {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    )


RESET = "/api/accounts/password/reset/"
# Ten minutes off the time every queued task was enqueued, as if it had waited that long.
AGE_THE_QUEUE = (
    "from datetime import timedelta; from django.db.models import F; "
    "from django_tasks_db.models import DBTaskResult; "
    "DBTaskResult.objects.ready().update(enqueued_at=F('enqueued_at') - timedelta(minutes=10))"
)


def manage(container: str, *args: str) -> str:
    return podman("exec", container, "python", "manage.py", *args, timeout=60).stdout


def waiting_tasks(container: str) -> int:
    script = (
        "from django_tasks_db.models import DBTaskResult; "
        "print(DBTaskResult.objects.ready().count())"
    )
    return int(manage(container, "shell", "--no-imports", "-c", script).strip())


def test_kube_play(tmp_path, images, app_image):
    shipped = load_manifests(app_image.project)
    run = unique("k8s")
    network = f"{run}-net"
    secret = f"{run}-secret"
    deployment_name = f"{run}-app"
    db_password = secrets.token_urlsafe(16)
    host = shipped["configmap"]["data"]["DJANGO_ALLOWED_HOSTS"]
    played: list[Path] = []  # for kube down, in reverse

    def play(name, *documents, options=()):
        path = write_yaml(tmp_path / f"{name}.yaml", *documents)
        played.append(path)
        podman("kube", "play", "--network", ":".join([network, *options]), path)

    def workload(manifest, name):
        """The shipped workload, changed only as the comment above says."""
        document = json.loads(json.dumps(shipped[manifest]))  # a deep copy
        document["metadata"]["name"] = name
        spec = dig(document, POD)
        volume = f"{name}-tmp"
        spec["volumes"][0]["name"] = volume
        for container in spec["containers"]:
            container["image"] = app_image.name
            container.pop("ports", None)
            container["volumeMounts"][0]["name"] = volume
            for source in container["envFrom"]:
                if "secretRef" in source:
                    source["secretRef"]["name"] = secret
        return document

    try:
        podman("network", "create", network)
        secret_file = tmp_path / "secret.json"
        secret_file.write_text(
            podman_secret({
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DATABASE_URL": f"postgres://app:{db_password}@{run}-postgres:5432/app",
            })
        )  # fmt: skip
        podman("secret", "create", secret, secret_file)

        # PostgreSQL and Redis, as the cluster would provide them: Redis as "redis", the
        # host in the shipped REDIS_URL.
        postgres_env = {
            "POSTGRES_USER": "app",
            "POSTGRES_PASSWORD": db_password,
            "POSTGRES_DB": "app",
        }
        play("db", pod(f"{run}-postgres", "db", images.postgres, env=postgres_env))
        play(
            "redis", pod(f"{run}-redis", "redis", images.redis), options=["alias=redis"]
        )
        wait_until(
            lambda: podman(
                "exec", f"{run}-postgres-db", "pg_isready",
                "--host", "127.0.0.1", "--username", "app", "--dbname", "app",
                check=False, timeout=30,
            ).returncode == 0,
            READY_SECONDS, "PostgreSQL accepting connections", 0.5,
        )  # fmt: skip

        # The migrate Job, as a Pod of its template.
        job = workload("migrate-job", f"{run}-migrate")
        migrate = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": job["metadata"]["name"],
                **job["spec"]["template"]["metadata"],
            },
            "spec": job["spec"]["template"]["spec"],
        }
        play("migrate", shipped["configmap"], migrate)
        migrate_container = f"{run}-migrate-migrate"
        exit_code = podman("wait", migrate_container, timeout=180).stdout.strip()
        migrate_logs = podman("logs", migrate_container, check=False)
        assert exit_code == "0", migrate_logs.stdout + migrate_logs.stderr
        assert "Applying users.0001_initial... OK" in migrate_logs.stdout

        # The Deployment, with every replica it asks for.
        deployment = workload("deployment", deployment_name)
        play("app", shipped["configmap"], deployment)
        replicas = [
            f"{deployment_name}-pod-{index}-app"
            for index in range(shipped["deployment"]["spec"]["replicas"])
        ]
        for replica in replicas:
            inspected = json.loads(podman("inspect", replica).stdout)[0]
            assert inspected["Config"]["User"] == "10001:10001"
            assert inspected["HostConfig"]["ReadonlyRootfs"] is True
            assert inspected["HostConfig"]["Memory"] == memory_bytes(
                dig(shipped["deployment"], f"{CONTAINER}.resources.limits.memory")
            )
            assert inspected["EffectiveCaps"] in (None, [])
            assert "no-new-privileges" in inspected["HostConfig"]["SecurityOpt"]
            wait_until(
                lambda r=replica: probe(r, "/readyz") == 200,
                READY_SECONDS, f"{replica} /readyz 200", 0.5,
            )  # fmt: skip
            assert probe(replica, "/healthz") == 200

        # The Service: its port, to the replicas' port that its targetPort names.
        service_port = shipped["service"]["spec"]["ports"][0]
        container_ports = {
            port["name"]: port["containerPort"]
            for port in dig(shipped["deployment"], CONTAINER)["ports"]
        }
        target = container_ports[service_port["targetPort"]]
        upstreams = "".join(
            f"server {deployment_name}-pod-{index}:{target};"
            for index in range(len(replicas))
        )
        service_conf = tmp_path / "service.conf"
        service_conf.write_text(
            f"upstream app {{ {upstreams} }}\n"
            f"server {{ listen {service_port['port']};\n"
            "  location / { proxy_pass http://app; proxy_set_header Host $http_host; } }\n"
        )
        published = free_port()
        play("service", pod(
            f"{run}-service", "nginx", images.nginx,
            files={"/etc/nginx/conf.d/default.conf": service_conf},
            ports=[(service_port["port"], published)],
        ))  # fmt: skip

        # The token flow, through the Service, as the ingress controller would send it.
        client = Client(published)
        as_https = {"Host": host, "X-Forwarded-Proto": "https"}
        wait_until(
            lambda: client.status("/readyz", {"Host": "10.0.0.7:8000"}) == 200,
            READY_SECONDS, "the Service answering /readyz", 0.5,
        )  # fmt: skip
        for path in ["/healthz", "/readyz"]:
            response = client.request("GET", path, headers={"Host": "10.0.0.7:8000"})
            assert response.status == 200, (path, response.body)
            assert response.json()["status"] == "ok"
        refused = client.request("GET", "/api/example/", headers={"Host": host})
        assert refused.status == 403, refused.body
        assert refused.json() == {"detail": "HTTPS is required."}

        # Again while the pod's name server does not answer: it reloads when a pod
        # joins the network (the Service's just did), and a lookup then fails at once.
        wait_until(
            lambda: podman(
                "exec", "--env", f"DJANGO_SUPERUSER_PASSWORD={PASSWORD}", replicas[0],
                "python", "manage.py", "createsuperuser", "--no-input",
                "--username", "alice", "--email", "alice@example.com",
                check=False,
            ).returncode == 0,
            READY_SECONDS, "createsuperuser in a replica", 1,
        )  # fmt: skip
        login = client.login("alice", headers=as_https)
        assert login.status == 200, login.body
        key = login.json()["token"]
        anonymous = client.request("GET", "/api/example/", headers=as_https)
        assert anonymous.status == 401, anonymous.body
        assert anonymous.headers["www-authenticate"] == "Token"
        # Round robin: each replica serves some of these, with the same database.
        for _ in range(4 * len(replicas)):
            example = client.example(key, headers=as_https)
            assert example.status == 200, example.body
        for replica in replicas:
            # gunicorn logs a request after answering it: give the line a moment.
            wait_until(
                lambda r=replica: any(
                    line.get("path") == "/api/example/" and line.get("status") == 200
                    for line in json_lines(podman("logs", r).stdout)
                ),
                10, f"{replica} to log a token request it served", 0.2,
            )  # fmt: skip

        # The task worker, as shipped: it drains the queue, and its liveness check
        # fails once a task waits too long, here with the worker stopped.
        play("worker", shipped["configmap"], workload("worker", f"{run}-worker"))
        worker = f"{run}-worker-pod-0-worker"
        reset = json.dumps({"email": "alice@example.com"})
        json_headers = {**as_https, "Content-Type": "application/json"}
        asked = client.request("POST", RESET, reset, json_headers)
        assert asked.status == 202, asked.body
        wait_until(
            lambda: waiting_tasks(replicas[0]) == 0, READY_SECONDS,
            "the worker to take the queued email", 0.5,
        )  # fmt: skip
        assert any(
            line.get("task_name") == "users.tasks.send_password_reset"
            for line in json_lines(podman("logs", worker).stdout)
        )
        liveness = dig(shipped["worker"], f"{CONTAINER}.livenessProbe.exec.command")
        assert podman("exec", worker, *liveness, check=False).returncode == 0
        podman("stop", "--time", "30", worker)
        assert client.request("POST", RESET, reset, json_headers).status == 202
        manage(replicas[0], "shell", "--no-imports", "-c", AGE_THE_QUEUE)
        stuck = podman("exec", replicas[0], *liveness, check=False)
        assert stuck.returncode == 1, stuck.stdout + stuck.stderr
        assert "has waited" in stuck.stderr

        # Down, in reverse: nothing of this run is left but the secret and network the
        # test made itself.
        for path in reversed(played):
            podman("kube", "down", path, timeout=120)
        played.clear()
        assert leftovers(run) == [secret, network]
    finally:
        for path in reversed(played):
            podman("kube", "down", path, check=False, timeout=120)
        # A play that failed half-way leaves its pod, which kube down may not know.
        for name in podman("pod", "ps", "--format", "{{.Name}}").stdout.split():
            if run in name:
                podman("pod", "rm", "--force", "--time", "0", name, check=False)
        for volume in podman("volume", "ls", "--format", "{{.Name}}").stdout.split():
            if run in volume:
                podman("volume", "rm", "--force", volume, check=False)
        podman("secret", "rm", secret, check=False)
        podman("network", "rm", "--force", network, check=False)
    assert leftovers(run) == []
