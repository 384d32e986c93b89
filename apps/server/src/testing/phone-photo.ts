import sharp from 'sharp';

/** The camera serial number a phone photo carries in its EXIF: a test looks for it after Parley encodes it again. */
export const PHOTO_SERIAL = 'SN-0042-1337';

/**
 * A JPEG as a phone writes it: GPS position, camera make, model and serial number in EXIF, turned on its side
 * (orientation 6), so that shown upright it is `height` wide and `width` tall.
 */
export const phonePhoto = (
  size: { width: number; height: number },
  background = '#b5651d',
): Promise<Buffer> =>
  sharp({ create: { ...size, channels: 3, background } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Parley Cam', Model: 'PX-1' },
      IFD2: { BodySerialNumber: PHOTO_SERIAL },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '52/1 31/1 1234/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '13/1 24/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
