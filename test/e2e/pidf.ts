import { sipp, uniqueCaller } from './lab.js';

/**
 * A PIDF-LO as an IMS network's E-CSCF sends it (RFC 4119 tuple, RFC 5491 GML). Asterisk 22.10.1
 * dereferences a missing <gp:usage-rules> and crashes (see README, "Caller location"), so every
 * document here has one, as RFC 4119 requires.
 */
export function pidf(locationInfo: string, method = 'GPS'): string {
  return '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" '
    + 'xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0" xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" entity="pres:caller@ims.example.net">'
    + `<tuple id="loc1"><status><gp:geopriv><gp:location-info>${locationInfo}</gp:location-info><gp:usage-rules/><gp:method>${method}</gp:method></gp:geopriv></status>`
    + '<timestamp>2026-12-02T06:00:00Z</timestamp></tuple></presence>';
}
export const CIRCLE = '<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.2383 106.9756</gml:pos><gs:radius uom="urn:ogc:def:uom:EPSG::9001">35</gs:radius></gs:Circle>';
export const POINT = '<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.3480 106.9990</gml:pos></gml:Point>';
export const CIVIC = '<ca:civicAddress><ca:country>ID</ca:country><ca:A1>Jawa Barat</ca:A1><ca:A2>Kota Bekasi</ca:A2><ca:A3>Rawalumbu</ca:A3><ca:RD>Jl. Narogong</ca:RD><ca:HNO>17</ca:HNO></ca:civicAddress>';

/** A GNSS circle of `radiusM` around a point, as a PIDF-LO location-info. */
export function circleAt(latitude: number, longitude: number, radiusM: number): string {
  return `<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>${latitude} ${longitude}</gml:pos><gs:radius uom="urn:ogc:def:uom:EPSG::9001">${radiusM}</gs:radius></gs:Circle>`;
}

/** A caller whose INVITE carries a PIDF-LO by value (multipart body, Geolocation: <cid:...>), pressing `key` (2: fire) `waitMs` after the answer. */
export function callerWithPidf(document: string, holdMs = 3000, key = '2', waitMs = 500) {
  const number = uniqueCaller();
  const extraArgs = ['-set', 'pidf', document, '-set', 'key', key, '-set', 'wait', String(waitMs)];
  return { number, run: sipp({ number: '112', caller: number, holdMs, scenario: 'caller-location.xml', extraArgs }) };
}
