"""Which addresses a fetch may reach: public ones, and the internal ones the operator names.

Once a web request can make newsweave fetch a URL (the ingest endpoint, or a feed
whose entries link anywhere), fetching is a door into the operator's network
(server-side request forgery). So a host is judged by the addresses DNS gives for it,
not by how its name is spelt: ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``
and ``localhost`` all resolve to a loopback address and are refused alike. Refused by
default: loopback, private, link-local (with the cloud metadata addresses), shared
(carrier-grade NAT), multicast, reserved and unspecified addresses, and IPv6 forms
that carry one of them inside (IPv4-mapped, 6to4, Teredo, NAT64).

:meth:`NetPolicy.resolve` returns the checked addresses, and the fetcher connects to
exactly those: there is no second lookup that a hostile DNS server could answer
differently (DNS rebinding). The setting ``fetch_allow_hosts`` names what may be
reached although it is not public: host names (``intranet.example``), every name
under a domain (``*.corp.example``), addresses (``127.0.0.1``) or networks
(``10.1.0.0/16``).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from ..errors import FetchError, FetchRefused
from ..settings import allowed_hosts

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
Pinned = tuple[socket.AddressFamily, tuple]
"""A resolved address to connect to: the socket family and the ``sockaddr``."""

METADATA: frozenset[Address] = frozenset(ip_address(a) for a in (
    "169.254.169.254",  # AWS, Azure, Google Cloud, OpenStack, DigitalOcean
    "fd00:ec2::254",    # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
))
_NAT64 = ip_network("64:ff9b::/96")


def embedded_ipv4(address: Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def address_kind(address: Address) -> str | None:
    """Why ``address`` is not public ("loopback", "private", ...), or None when it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return address_kind(inner)
    checks = (
        (address in METADATA, "cloud metadata"), (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"), (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"), (address.is_reserved, "reserved"),
        (address.is_private, "private"), (not address.is_global, "non-public"),
    )
    return next((kind for hit, kind in checks if hit), None)


def normal_host(host: str) -> str:
    """``host`` as DNS and the allow list compare it: lower-case, ASCII (IDNA), no final dot."""
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"invalid host name {host!r}") from None


def lookup(host: str, port: int, timeout: float) -> list[Pinned]:
    """The addresses DNS gives for ``host``, waiting at most ``timeout`` seconds.

    ``getaddrinfo`` cannot be interrupted, so it runs in a daemon thread that is left
    behind when it is late; the fetch's overall deadline holds all the same.
    """
    found: dict[str, object] = {}

    def work() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            found["error"] = exc

    thread = threading.Thread(target=work, name=f"dns {host}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchError(f"DNS lookup of {host} timed out after {timeout:g} s")
    if "error" in found:
        raise found["error"]  # type: ignore[misc]
    infos = found["infos"]
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class NetPolicy:
    """The hosts, domains and networks a fetch may reach besides public addresses."""

    hosts: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> NetPolicy:
        """The policy a ``fetch_allow_hosts`` value describes (syntax:
        :func:`newsweave.settings.allowed_hosts`, which raises ``ConfigError``)."""
        names, networks = allowed_hosts(spec)
        hosts = frozenset(n for n in names if not n.startswith("*."))
        domains = tuple(n[1:] for n in names if n.startswith("*."))
        return cls(hosts, domains, networks)

    def names(self, host: str) -> bool:
        """Whether ``host`` (normalised) is allowed by name."""
        return host in self.hosts or host.endswith(self.domains)

    def refusal(self, host: str, address: Address) -> str | None:
        """Why connecting to ``address`` for ``host`` is refused, or None when it is not."""
        kind = address_kind(address)
        forms = (address, embedded_ipv4(address))  # ::ffff:10.0.0.1 is in 10.0.0.0/8
        if kind is None or self.names(host) or any(a in n for a in forms if a is not None
                                                   for n in self.networks):
            return None
        where = (f"{host} is" if _literal(host) == address
                 else f"{host} resolves to {address},")
        article = "an" if kind[0] in "aeiou" else "a"
        return (f"{where} {article} {kind} address; only public addresses are fetched "
                "unless the setting fetch_allow_hosts names the host or its network")

    def resolve(self, host: str, port: int, timeout: float) -> list[Pinned]:
        """Look ``host`` up and check every address it has; return them to connect to.

        One address that is not allowed refuses the host (:class:`FetchRefused`): a
        name that mixes public and internal addresses is not to be trusted.
        """
        pinned = lookup(host, port, timeout)
        for _, sockaddr in pinned:
            reason = self.refusal(host, ip_address(sockaddr[0].split("%", 1)[0]))
            if reason is not None:
                raise FetchRefused(reason)
        return pinned


def _literal(host: str) -> Address | None:
    """``host`` as an address when it is written as one in the usual notation."""
    try:
        return ip_address(host)
    except ValueError:
        return None


__all__ = ["METADATA", "NetPolicy", "Pinned", "address_kind", "embedded_ipv4", "lookup"]
